import type { AccessTokenStatus } from '../../client/generated/graphql';
import { type TokenFacts, disabledBy, statusAt, tokenActions } from '../../web/src/lib/token-actions';

const OWNER = { userId: 'owner', admin: false };
const ADMIN = { userId: 'admin', admin: true };
/** An administrator looking at a PAT of its own. */
const ADMIN_OWNER = { userId: 'owner', admin: true };
const STRANGER = { userId: 'stranger', admin: false };

const kind =
  (personalAccessToken: boolean) =>
  (status: AccessTokenStatus = 'ACTIVE', enabled = true, disabledByAdministrator = false): TokenFacts => ({
    status,
    enabled,
    disabledByAdministrator,
    personalAccessToken,
    owner: { id: 'owner' },
  });
const pat = kind(true);
/** Created by 'owner', who is not its owner: a classic token is the environment's. */
const classic = kind(false);
const ownerDisabled = (status: AccessTokenStatus = 'DISABLED') => pat(status, false, false);
const adminDisabled = (status: AccessTokenStatus = 'DISABLED') => pat(status, false, true);

const NOTHING = { rotate: false, disable: false, enable: false, revoke: false, delete: false };

describe('the actions a page offers on a token', () => {
  it('offers the owner everything on an active PAT', () => {
    expect(tokenActions(pat(), OWNER)).toEqual({ rotate: true, disable: true, enable: false, revoke: true, delete: true });
  });

  it('never offers an admin the rotation of another user\'s PAT: it would hand over a secret acting as that user', () => {
    expect(tokenActions(pat(), ADMIN)).toEqual({ rotate: false, disable: true, enable: false, revoke: true, delete: true });
    expect(tokenActions(ownerDisabled(), ADMIN).rotate).toBe(false);
    expect(tokenActions(adminDisabled(), ADMIN).rotate).toBe(false);
  });

  it('offers an admin everything on its own PAT, as any owner', () => {
    expect(tokenActions(pat(), ADMIN_OWNER)).toEqual({ rotate: true, disable: true, enable: false, revoke: true, delete: true });
    expect(tokenActions(ownerDisabled(), ADMIN_OWNER).enable).toBe(true);
  });

  it('offers classic API tokens to admins only, rotation included, whoever created them', () => {
    expect(tokenActions(classic(), ADMIN)).toEqual({ rotate: true, disable: true, enable: false, revoke: true, delete: true });
    // The user who created it, no longer an admin, manages it no more.
    expect(tokenActions(classic(), OWNER)).toEqual(NOTHING);
    expect(tokenActions(classic('DISABLED', false, true), OWNER)).toEqual(NOTHING);
    expect(tokenActions(classic('DISABLED', false, true), ADMIN).enable).toBe(true);
    // One disabled before the service recorded who disabled it is still an admin's to enable.
    expect(tokenActions(classic('DISABLED', false, false), ADMIN).enable).toBe(true);
  });

  it('offers only deletion once a token is expired or revoked, whoever disabled it before', () => {
    for (const status of ['EXPIRED', 'REVOKED'] as const) {
      const onlyDelete = { ...NOTHING, delete: true };
      expect(tokenActions(pat(status), OWNER)).toEqual(onlyDelete);
      expect(tokenActions(pat(status), ADMIN)).toEqual(onlyDelete);
      expect(tokenActions(adminDisabled(status), OWNER)).toEqual(onlyDelete);
      expect(tokenActions(ownerDisabled(status), ADMIN)).toEqual(onlyDelete);
      expect(tokenActions(classic(status), ADMIN)).toEqual(onlyDelete);
    }
  });

  it('lets the owner lift its own disable', () => {
    expect(tokenActions(ownerDisabled(), OWNER)).toEqual({ rotate: true, disable: false, enable: true, revoke: true, delete: true });
  });

  it('does not offer the owner Enable on a token an admin disabled, and says why', () => {
    const actions = tokenActions(adminDisabled(), OWNER);
    expect(actions).toMatchObject({ enable: false, disable: false, rotate: true, revoke: true, delete: true });
    expect(actions.enableRefusal).toMatch(/only an administrator/);
  });

  it('offers an admin Enable on a token an admin disabled, its own PAT included', () => {
    expect(tokenActions(adminDisabled(), ADMIN)).toEqual({ rotate: false, disable: false, enable: true, revoke: true, delete: true });
    expect(tokenActions(adminDisabled(), ADMIN_OWNER).enable).toBe(true);
  });

  it('does not offer an admin Enable on another user\'s PAT its owner disabled, and says why', () => {
    const actions = tokenActions(ownerDisabled(), ADMIN);
    expect(actions).toMatchObject({ enable: false, disable: false, rotate: false, revoke: true, delete: true });
    expect(actions.enableRefusal).toMatch(/only its owner/);
  });

  it('applies the rules to a suspended token by whether it is enabled underneath', () => {
    expect(tokenActions(adminDisabled('SUSPENDED'), OWNER)).toMatchObject({ enable: false, disable: false });
    expect(tokenActions(ownerDisabled('SUSPENDED'), OWNER)).toMatchObject({ enable: true, disable: false });
    expect(tokenActions(pat('SUSPENDED'), OWNER)).toMatchObject({ enable: false, disable: true });
  });

  it('gives no reason for an Enable it does not offer on an enabled token or one the caller cannot manage', () => {
    expect(tokenActions(pat(), OWNER).enableRefusal).toBeUndefined();
    expect(tokenActions(adminDisabled(), STRANGER).enableRefusal).toBeUndefined();
    expect(tokenActions(adminDisabled('EXPIRED'), OWNER).enableRefusal).toBeUndefined();
  });

  it('offers nothing on another user\'s PAT to a user who is not an admin', () => {
    expect(tokenActions(pat(), STRANGER)).toEqual(NOTHING);
    expect(tokenActions(ownerDisabled(), STRANGER)).toEqual(NOTHING);
  });
});

describe('who disabled a token, in the caller\'s words', () => {
  it('reads the service\'s mark, not who is looking', () => {
    expect(disabledBy(adminDisabled(), OWNER)).toBe('Disabled by an administrator');
    expect(disabledBy(adminDisabled(), ADMIN)).toBe('Disabled by an administrator');
    expect(disabledBy(ownerDisabled(), OWNER)).toBe('Disabled by you');
    expect(disabledBy(ownerDisabled(), ADMIN)).toBe('Disabled by its owner');
    expect(disabledBy(classic('DISABLED', false, true), ADMIN)).toBe('Disabled by an administrator');
  });

  it('says nothing of a token that is enabled, final, or a classic one without the mark', () => {
    expect(disabledBy(pat(), OWNER)).toBeUndefined();
    expect(disabledBy(adminDisabled('REVOKED'), OWNER)).toBeUndefined();
    expect(disabledBy(ownerDisabled('EXPIRED'), OWNER)).toBeUndefined();
    expect(disabledBy(classic('DISABLED', false, false), ADMIN)).toBeUndefined();
  });
});

describe('a token\'s status as of now', () => {
  const now = new Date('2030-06-01T12:00:00Z');

  it('is EXPIRED once the expiration date passed while the page was open', () => {
    expect(statusAt({ status: 'ACTIVE', expirationDate: '2030-06-01T11:59:59Z' }, now)).toBe('EXPIRED');
    expect(statusAt({ status: 'DISABLED', expirationDate: '2030-06-01T12:00:00Z' }, now)).toBe('EXPIRED');
  });

  it('is the service\'s otherwise: before the date, without one, or revoked', () => {
    expect(statusAt({ status: 'ACTIVE', expirationDate: '2030-06-01T12:00:01Z' }, now)).toBe('ACTIVE');
    expect(statusAt({ status: 'SUSPENDED', expirationDate: null }, now)).toBe('SUSPENDED');
    expect(statusAt({ status: 'REVOKED', expirationDate: '2030-01-01T00:00:00Z' }, now)).toBe('REVOKED');
  });
});
