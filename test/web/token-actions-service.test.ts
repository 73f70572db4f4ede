import { type Actor, TestService } from '../helpers/service';
import { sleep } from '../helpers/time';
import { type Caller, type TokenActions, type TokenFacts, isFinal, tokenActions } from '../../web/src/lib/token-actions';

/**
 * The pages offer an action exactly when the service accepts it: every action, on a token in every
 * state (enabled; disabled by its owner or by an administrator; expired; revoked), PAT and classic,
 * tried for real by its owner, an administrator, an administrator on its own PAT and a stranger,
 * each time on a fresh token. The service also accepts what changes nothing (disabling a disabled
 * token, enabling an enabled one, revoking an expired or revoked one): the pages do not offer those.
 */
let service: TestService;
let admin: Actor;
let otherAdmin: Actor;
let owner: Actor;
let stranger: Actor;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
  admin = await service.admin();
  otherAdmin = await service.user('second-admin');
  await service.grant(otherAdmin, { permission: 'ADMIN' });
  owner = await service.user('owner');
  stranger = await service.user('stranger');
});
afterAll(() => service?.stop());

type Action = keyof Omit<TokenActions, 'enableRefusal'>;
const ACTIONS: Action[] = ['rotate', 'disable', 'enable', 'revoke', 'delete'];

const MUTATIONS: Record<Action, string> = {
  rotate: 'mutation($id: ID!) { rotateAccessToken(id: $id) { token } }',
  disable: 'mutation($id: ID!) { updateAccessToken(id: $id, input: { enabled: false }) { id } }',
  enable: 'mutation($id: ID!) { updateAccessToken(id: $id, input: { enabled: true }) { id } }',
  revoke: 'mutation($id: ID!) { revokeAccessToken(id: $id) { id } }',
  delete: 'mutation($id: ID!) { deleteAccessToken(id: $id) }',
};
const DISABLE = MUTATIONS.disable;
const FACTS = 'query($id: ID!) { accessToken(id: $id) { status enabled disabledByAdministrator personalAccessToken owner { id } } }';

interface State {
  name: string;
  /** Makes a fresh token in this state; `expiring` ones expire about a second and a half later. */
  make(): Promise<string>;
  expiring?: boolean;
}

async function pat(of: Actor, expiring = false): Promise<string> {
  const expirationDate = expiring ? new Date(Date.now() + 1500).toISOString() : undefined;
  return (await service.createPat(of, ['metrics.read'], { name: 'matrix', expirationDate })).id;
}

async function classic(expiring = false): Promise<string> {
  const expirationDate = expiring ? new Date(Date.now() + 1500).toISOString() : undefined;
  return (await service.createApiToken(['metrics.read'], { name: 'matrix', expirationDate })).id;
}

async function disabledBy(id: string, by: Actor): Promise<string> {
  await service.ok(DISABLE, { id }, by.authorization);
  return id;
}

async function revoked(id: string): Promise<string> {
  await service.ok(MUTATIONS.revoke, { id }, admin.authorization);
  return id;
}

const STATES: State[] = [
  { name: 'PAT, enabled', make: () => pat(owner) },
  { name: 'PAT, disabled by its owner', make: async () => disabledBy(await pat(owner), owner) },
  { name: 'PAT, disabled by an administrator', make: async () => disabledBy(await pat(owner), admin) },
  { name: 'PAT, disabled by an administrator, then by its owner again', make: async () => disabledBy(await disabledBy(await pat(owner), admin), owner) },
  { name: 'PAT, expired', make: () => pat(owner, true), expiring: true },
  { name: 'PAT, disabled by an administrator, expired', make: async () => disabledBy(await pat(owner, true), admin), expiring: true },
  { name: 'PAT, revoked', make: async () => revoked(await pat(owner)) },
  { name: 'administrator\'s own PAT, enabled', make: () => pat(admin) },
  { name: 'administrator\'s own PAT, disabled by itself', make: async () => disabledBy(await pat(admin), admin) },
  { name: 'administrator\'s own PAT, disabled by another administrator', make: async () => disabledBy(await pat(admin), otherAdmin) },
  { name: 'classic, enabled', make: () => classic() },
  { name: 'classic, disabled', make: async () => disabledBy(await classic(), admin) },
  { name: 'classic, expired', make: () => classic(true), expiring: true },
  { name: 'classic, revoked', make: async () => revoked(await classic()) },
];

const CALLERS: { name: string; actor: () => Actor; admin: boolean }[] = [
  { name: 'the owner', actor: () => owner, admin: false },
  { name: 'an administrator', actor: () => admin, admin: true },
  { name: 'another administrator', actor: () => otherAdmin, admin: true },
  { name: 'a stranger', actor: () => stranger, admin: false },
];

/** Whether doing it would change anything: the pages do not offer what changes nothing. */
function changesSomething(action: Action, facts: TokenFacts): boolean {
  if (action === 'disable') return facts.enabled;
  if (action === 'enable') return !facts.enabled;
  if (action === 'revoke') return !isFinal(facts.status);
  return true;
}

interface Trial {
  state: State;
  caller: (typeof CALLERS)[number];
  action: Action;
  id: string;
}

describe('the actions the pages offer', () => {
  it('are exactly those the service accepts, for every caller on a token in every state', async () => {
    // Every expiring token is made first, so one wait lets them all expire.
    const trials: Trial[] = [];
    for (const expiring of [true, false]) {
      for (const state of STATES.filter((candidate) => Boolean(candidate.expiring) === expiring)) {
        for (const caller of CALLERS) {
          for (const action of ACTIONS) trials.push({ state, caller, action, id: await state.make() });
        }
      }
      if (expiring) await sleep(1600);
    }

    const mismatches: string[] = [];
    let offeredAndAccepted = 0;
    for (const { state, caller, action, id } of trials) {
      const facts: TokenFacts = (await service.ok(FACTS, { id }, admin.authorization)).accessToken;
      if (state.expiring) expect(facts.status).toBe('EXPIRED');
      const actor = caller.actor();
      const who: Caller = { userId: actor.userId, admin: caller.admin };
      const offered = tokenActions(facts, who)[action];
      const response = await service.request(MUTATIONS[action], { id }, actor.authorization);
      const accepted = !response.errors?.length;
      if (offered && accepted) offeredAndAccepted += 1;
      const expected = changesSomething(action, facts) ? accepted : false;
      if (offered !== expected) {
        mismatches.push(`${caller.name}, ${action}, ${state.name}: offered ${offered}, service ${accepted ? 'accepted' : `refused (${response.errors![0].extensions.code}: ${response.errors![0].message})`}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Not a matrix of refusals only.
    expect(offeredAndAccepted).toBeGreaterThan(40);
  }, 120_000);
});
