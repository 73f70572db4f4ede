import { useId, useState } from 'preact/hooks';
import {
  AddGroupMemberDocument,
  CreateGroupDocument,
  CreateManagementZoneDocument,
  DirectoryDocument,
  type DirectoryQuery,
  type Permission,
  RemoveGroupMemberDocument,
  SetGroupPermissionsDocument,
} from '../../../../client/generated/graphql';
import { Empty, FieldProblem, Loading, Notice, ProblemSummary, describedBy } from '../../components/feedback';
import { useAction, useQuery } from '../../hooks';
import { permissionLabel } from '../../lib/scopes';
import { useSession } from '../../session';
import { grantsText } from './users';

type Directory = DirectoryQuery;
type Group = Directory['groups'][number];
interface GrantRow {
  permission: Permission;
  managementZoneId: string;
}

const PERMISSIONS: Permission[] = ['VIEWER', 'MANAGE_SETTINGS', 'MANAGE_SECURITY_PROBLEMS', 'ADMIN'];
const PERMISSION_MEANINGS: Record<Permission, string> = {
  VIEWER: 'access the environment and read its monitoring data',
  MANAGE_SETTINGS: 'change monitoring settings (includes Viewer)',
  MANAGE_SECURITY_PROBLEMS: 'triage security problems and attack settings (includes Viewer)',
  ADMIN: 'administer the environment: features, groups, everyone’s tokens',
};

function rowsOf(group: Group): GrantRow[] {
  return group.permissions.map((grant) => ({ permission: grant.permission, managementZoneId: grant.managementZone?.id ?? '' }));
}

function inputOf(rows: GrantRow[]) {
  return rows.map((row) => ({ permission: row.permission, ...(row.managementZoneId && { managementZoneId: row.managementZoneId }) }));
}

export function GroupsSection() {
  const directory = useQuery(DirectoryDocument, {});
  if (!directory.data) return directory.loading ? <Loading>Loading groups and zones…</Loading> : <ProblemSummary problems={directory.problems} />;
  const data = directory.data;
  return (
    <>
      <section aria-labelledby="groups-title">
        <h2 id="groups-title">Groups ({data.groups.length})</h2>
        <p class="lead">
          Users get permissions through groups, environment-wide or in one management zone. A personal access token can use a scope only while its owner holds
          the permission the scope needs.
        </p>
        <dl class="meanings">
          {PERMISSIONS.map((permission) => (
            <div key={permission}>
              <dt>{permissionLabel(permission)}</dt>
              <dd>{PERMISSION_MEANINGS[permission]}</dd>
            </div>
          ))}
        </dl>
        {data.groups.length === 0 ? (
          <Empty>
            <p>There are no groups yet.</p>
          </Empty>
        ) : (
          <div class="cards">
            {data.groups.map((group) => (
              <GroupCard key={group.id} group={group} directory={data} onChanged={directory.reload} />
            ))}
          </div>
        )}
        <CreateGroupForm directory={data} onChanged={directory.reload} />
      </section>
      <ZonesPanel zones={data.managementZones} onChanged={directory.reload} />
    </>
  );
}

function GrantsEditor({ rows, zones, onChange, problem, legend }: { rows: GrantRow[]; zones: Directory['managementZones']; onChange(rows: GrantRow[]): void; problem?: string; legend: string }) {
  const id = useId();
  const update = (index: number, change: Partial<GrantRow>) => onChange(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));
  return (
    <fieldset class="grants" {...describedBy(`${id}-problem`, problem)}>
      <legend>{legend}</legend>
      {rows.length === 0 && <p class="hint">No permission: members can sign in and create tokens, but no scope works for their personal access tokens.</p>}
      {rows.map((row, index) => (
        <div class="grant-row" key={index}>
          <label for={`${id}-permission-${index}`} class="visually-hidden">
            Permission {index + 1}
          </label>
          <select id={`${id}-permission-${index}`} value={row.permission} onChange={(event) => update(index, { permission: event.currentTarget.value as Permission })}>
            {PERMISSIONS.map((permission) => (
              <option key={permission} value={permission}>
                {permissionLabel(permission)}
              </option>
            ))}
          </select>
          <label for={`${id}-zone-${index}`} class="visually-hidden">
            Where permission {index + 1} applies
          </label>
          <select id={`${id}-zone-${index}`} value={row.managementZoneId} onChange={(event) => update(index, { managementZoneId: event.currentTarget.value })}>
            <option value="">Environment-wide</option>
            {zones.map((zone) => (
              <option key={zone.id} value={zone.id}>
                In {zone.name}
              </option>
            ))}
          </select>
          <button type="button" class="danger-quiet" onClick={() => onChange(rows.filter((_, at) => at !== index))}>
            Remove<span class="visually-hidden"> permission {index + 1}</span>
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { permission: 'VIEWER', managementZoneId: '' }])}>
        Add a permission
      </button>
      <FieldProblem id={`${id}-problem`} text={problem} />
    </fieldset>
  );
}

function GroupCard({ group, directory, onChanged }: { group: Group; directory: Directory; onChanged(): Promise<void> }) {
  const { run } = useSession();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [rows, setRows] = useState<GrantRow[]>(() => rowsOf(group));
  const [member, setMember] = useState('');
  const [notice, setNotice] = useState('');
  const action = useAction(['permissions', 'userId']);
  const candidates = directory.users.filter((user) => !group.members.some((existing) => existing.id === user.id));

  const savePermissions = async (event: Event) => {
    event.preventDefault();
    if (await action.perform(() => run(SetGroupPermissionsDocument, { groupId: group.id, permissions: inputOf(rows) }))) {
      setEditing(false);
      setNotice('Permissions saved.');
      await onChanged();
    }
  };
  const addMember = async (event: Event) => {
    event.preventDefault();
    if (!member) return;
    if (await action.perform(() => run(AddGroupMemberDocument, { groupId: group.id, userId: member }))) {
      setMember('');
      setNotice('Member added.');
      await onChanged();
    }
  };
  const removeMember = async (userId: string) => {
    if (await action.perform(() => run(RemoveGroupMemberDocument, { groupId: group.id, userId }))) {
      setNotice('Member removed.');
      await onChanged();
    }
  };

  return (
    <article class="card group" aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`}>{group.name}</h3>
      <ProblemSummary problems={action.problems} />
      {editing ? (
        <form onSubmit={savePermissions} noValidate>
          <GrantsEditor rows={rows} zones={directory.managementZones} onChange={setRows} problem={action.problems.fields.permissions} legend={`Permissions of ${group.name}`} />
          <div class="actions">
            <button
              type="button"
              onClick={() => {
                setRows(rowsOf(group));
                setEditing(false);
              }}
            >
              Cancel
            </button>
            <button type="submit" class="primary" disabled={action.pending}>
              Save permissions
            </button>
          </div>
        </form>
      ) : (
        <p>
          <span class="label">Permissions:</span> {grantsText(group.permissions)}{' '}
          <button type="button" class="link" onClick={() => setEditing(true)}>
            Change<span class="visually-hidden"> the permissions of {group.name}</span>
          </button>
        </p>
      )}
      <h4>Members ({group.members.length})</h4>
      {group.members.length === 0 ? (
        <p class="hint">No members.</p>
      ) : (
        <ul class="members">
          {group.members.map((user) => (
            <li key={user.id}>
              {user.name ? `${user.name} (${user.subject})` : user.subject}
              <button type="button" class="danger-quiet" onClick={() => removeMember(user.id)} disabled={action.pending}>
                Remove<span class="visually-hidden"> {user.subject} from {group.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <form class="inline-form" onSubmit={addMember} noValidate>
          <label for={`${id}-member`}>Add a member</label>
          <select id={`${id}-member`} value={member} onChange={(event) => setMember(event.currentTarget.value)} {...describedBy(`${id}-member-problem`, action.problems.fields.userId)}>
            <option value="">Choose a user</option>
            {candidates.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name ? `${user.name} (${user.subject})` : user.subject}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!member || action.pending}>
            Add
          </button>
          <FieldProblem id={`${id}-member-problem`} text={action.problems.fields.userId} />
        </form>
      )}
      {notice && <Notice text={notice} />}
    </article>
  );
}

function CreateGroupForm({ directory, onChanged }: { directory: Directory; onChanged(): Promise<void> }) {
  const { run } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [rows, setRows] = useState<GrantRow[]>([{ permission: 'VIEWER', managementZoneId: '' }]);
  const [notice, setNotice] = useState('');
  const action = useAction(['name', 'permissions']);
  const submit = async (event: Event) => {
    event.preventDefault();
    setNotice('');
    if (!name.trim()) {
      action.setProblems({ fields: { name: 'Give the group a name.' }, general: [], signedOut: false });
      return;
    }
    if (await action.perform(() => run(CreateGroupDocument, { input: { name: name.trim(), permissions: inputOf(rows) } }))) {
      setNotice(`Group ${name.trim()} created.`);
      setName('');
      await onChanged();
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Create a group</h3>
      <ProblemSummary problems={action.problems} />
      <div class="field">
        <label for={`${id}-name`}>Group name</label>
        <input id={`${id}-name`} type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} {...describedBy(`${id}-name-problem`, action.problems.fields.name)} />
        <FieldProblem id={`${id}-name-problem`} text={action.problems.fields.name} />
      </div>
      <GrantsEditor rows={rows} zones={directory.managementZones} onChange={setRows} problem={action.problems.fields.permissions} legend="Permissions" />
      <button type="submit" class="primary" disabled={action.pending}>
        Create group
      </button>
      {notice && <Notice text={notice} />}
    </form>
  );
}

function ZonesPanel({ zones, onChanged }: { zones: Directory['managementZones']; onChanged(): Promise<void> }) {
  const { run } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [notice, setNotice] = useState('');
  const action = useAction(['name']);
  const submit = async (event: Event) => {
    event.preventDefault();
    setNotice('');
    if (!name.trim()) {
      action.setProblems({ fields: { name: 'Give the zone a name.' }, general: [], signedOut: false });
      return;
    }
    if (await action.perform(() => run(CreateManagementZoneDocument, { name: name.trim() }))) {
      setNotice(`Management zone ${name.trim()} created.`);
      setName('');
      await onChanged();
    }
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Management zones ({zones.length})</h2>
      <p class="lead">Zones limit data: a permission granted in a zone, or a token restricted to zones, reaches only their data.</p>
      {zones.length === 0 ? (
        <Empty>
          <p>There are no management zones yet.</p>
        </Empty>
      ) : (
        <ul class="chips zones-list">
          {zones.map((zone) => (
            <li key={zone.id}>{zone.name}</li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={submit} noValidate>
        <label for={`${id}-name`}>New zone name</label>
        <input id={`${id}-name`} type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} {...describedBy(`${id}-name-problem`, action.problems.fields.name)} />
        <button type="submit" disabled={action.pending}>
          Create zone
        </button>
        <FieldProblem id={`${id}-name-problem`} text={action.problems.fields.name} />
      </form>
      <ProblemSummary problems={action.problems} />
      {notice && <Notice text={notice} />}
    </section>
  );
}
