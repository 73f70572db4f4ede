import { codes, expectBadInput } from '../helpers/expectations';
import { ADD_MEMBER, CREATE_GROUP, CREATE_ZONE, SET_PERMISSIONS, unique } from '../helpers/operations';
import { type GraphQLResponse, TestService } from '../helpers/service';
import { atOnce } from '../helpers/time';

/**
 * Names, memberships and grants written many times at once: one write wins, the others are
 * refused as BAD_USER_INPUT (a unique index's refusal, never its SQL message), and no mix is left.
 */
const PARALLEL = 12;

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

const sql = (text: string, parameters: unknown[]) => service.service.dataSource.query(text, parameters);

/** Exactly one answer succeeded; every other was refused as BAD_USER_INPUT on `field`, in words a user can read. */
function expectOneWinner(answers: GraphQLResponse[], field: string): void {
  const won = answers.filter((answer) => !answer.errors);
  const lost = answers.filter((answer) => answer.errors);
  expect(won).toHaveLength(1);
  for (const answer of lost) {
    expectBadInput(answer, field);
    expect(answer.errors![0].message).not.toMatch(/duplicate key|violates|constraint/i);
  }
}

describe('one name claimed many times at once', () => {
  it('creates one group and refuses the others as BAD_USER_INPUT', async () => {
    const admin = await service.admin();
    const name = unique('race');
    const answers = await atOnce(PARALLEL, (i) =>
      service.request(CREATE_GROUP, { input: { name: i % 2 === 0 ? name : name.toUpperCase(), permissions: [{ permission: 'VIEWER' }] } }, admin.authorization),
    );
    expectOneWinner(answers, 'name');
    const rows = await sql('SELECT count(*)::int AS n FROM user_group WHERE lower(name) = $1', [name]);
    expect(rows[0].n).toBe(1);
  });

  it('creates one management zone and refuses the others as BAD_USER_INPUT', async () => {
    const admin = await service.admin();
    const name = unique('zone-race');
    const answers = await atOnce(PARALLEL, (i) =>
      service.request(CREATE_ZONE, { name: i % 2 === 0 ? name : name.toUpperCase() }, admin.authorization),
    );
    expectOneWinner(answers, 'name');
  });

});

describe('one membership or grant set written many times at once', () => {
  it('keeps one membership when a user is added to a group many times at once', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const { createGroup } = await service.ok(
      'mutation { createGroup(input: { name: "members race", permissions: [] }) { id } }',
      {},
      admin.authorization,
    );
    const answers = await atOnce(PARALLEL, () =>
      service.request(ADD_MEMBER, { g: createGroup.id, u: user.userId }, admin.authorization),
    );
    expect(answers.flatMap((answer) => codes(answer))).toEqual([]);
    const rows = await sql('SELECT count(*)::int AS n FROM group_member WHERE group_id = $1 AND user_id = $2', [createGroup.id, user.userId]);
    expect(rows[0].n).toBe(1);
  });

  it('ends with exactly one of the grant sets written at once, never a mix', async () => {
    const admin = await service.admin();
    const zones = await atOnce(3, () => service.createZone());
    const { createGroup } = await service.ok(
      'mutation { createGroup(input: { name: "grants race", permissions: [] }) { id } }',
      {},
      admin.authorization,
    );
    const sets = Array.from({ length: PARALLEL }, (_, i) => [
      { permission: 'VIEWER', managementZoneId: zones[i % 3] },
      { permission: 'MANAGE_SETTINGS', managementZoneId: zones[(i + 1) % 3] },
      ...(i % 2 === 0 ? [{ permission: 'ADMIN' }] : []),
    ]);
    const answers = await atOnce(PARALLEL, (i) =>
      service.request(SET_PERMISSIONS, { g: createGroup.id, p: sets[i] }, admin.authorization),
    );
    expect(answers.flatMap((answer) => codes(answer))).toEqual([]);
    const rows = await sql(
      `SELECT permission::text, management_zone_id AS "managementZoneId" FROM permission_grant WHERE group_id = $1`,
      [createGroup.id],
    );
    const key = (grants: { permission: string; managementZoneId?: string | null }[]) =>
      grants.map((grant) => `${grant.permission}/${grant.managementZoneId ?? ''}`).sort().join(',');
    expect(sets.map(key)).toContain(key(rows));
  });
});
