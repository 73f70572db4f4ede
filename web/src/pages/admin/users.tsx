import { useState } from 'preact/hooks';
import { DeactivateUserDocument, DirectoryDocument, type DirectoryQuery, ReactivateUserDocument } from '../../../../client/generated/graphql';
import { Empty, Loading, Notice, ProblemSummary } from '../../components/feedback';
import { useAction, useQuery } from '../../hooks';
import { permissionLabel } from '../../lib/scopes';
import { useSession } from '../../session';
import { useUi } from '../../ui';

type User = DirectoryQuery['users'][number];

export function grantsText(grants: User['permissions']): string {
  if (grants.length === 0) return 'None';
  return grants.map((grant) => `${permissionLabel(grant.permission)}${grant.managementZone ? ` in ${grant.managementZone.name}` : ''}`).join(', ');
}

export function UsersSection() {
  const directory = useQuery(DirectoryDocument, {});
  if (!directory.data) return directory.loading ? <Loading>Loading the users…</Loading> : <ProblemSummary problems={directory.problems} />;
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users ({directory.data.users.length})</h2>
      <p class="lead">A user appears here after signing in once. A deactivated user cannot sign in, and its personal access tokens are suspended until it is reactivated.</p>
      {directory.data.users.length === 0 ? (
        <Empty>
          <p>Nobody has signed in yet.</p>
        </Empty>
      ) : (
        <table class="records">
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Email</th>
              <th scope="col">Permissions</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {directory.data.users.map((user) => (
              <UserRow key={user.id} user={user} onChanged={directory.reload} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function UserRow({ user, onChanged }: { user: User; onChanged(): Promise<void> }) {
  const { viewer, run } = useSession();
  const ui = useUi();
  const action = useAction();
  const [notice, setNotice] = useState('');
  const self = user.id === viewer.me.id;
  const label = user.name ? `${user.name} (${user.subject})` : user.subject;

  const deactivate = async () => {
    const confirmed = await ui.confirm({
      title: `Deactivate ${label}?`,
      body: <p>{label} can no longer sign in, and all of their personal access tokens are suspended at once. Reactivating restores both.</p>,
      confirmLabel: 'Deactivate',
      danger: true,
    });
    if (!confirmed) return;
    if (await action.perform(() => run(DeactivateUserDocument, { id: user.id }))) {
      setNotice(`${label} is deactivated.`);
      await onChanged();
    }
  };
  const reactivate = async () => {
    if (await action.perform(() => run(ReactivateUserDocument, { id: user.id }))) {
      setNotice(`${label} is active again.`);
      await onChanged();
    }
  };

  return (
    <tr>
      <th scope="row" data-label="User">
        {user.name ?? user.subject}
        {user.name && <code class="token-id">{user.subject}</code>}
      </th>
      <td data-label="Email">{user.email ?? <span class="cell-note">None</span>}</td>
      <td data-label="Permissions">{grantsText(user.permissions)}</td>
      <td data-label="State">
        <span class={user.active ? 'status status-active' : 'status status-revoked'}>{user.active ? 'Active' : 'Deactivated'}</span>
      </td>
      <td data-label="Actions">
        {self ? (
          <span class="cell-note">You</span>
        ) : user.active ? (
          <button type="button" class="danger" onClick={deactivate} disabled={action.pending}>
            Deactivate
          </button>
        ) : (
          <button type="button" onClick={reactivate} disabled={action.pending}>
            Reactivate
          </button>
        )}
        <ProblemSummary problems={action.problems} />
        {notice && <Notice text={notice} />}
      </td>
    </tr>
  );
}
