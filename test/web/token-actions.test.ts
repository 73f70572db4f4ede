import type { AccessTokenStatus } from '../../client/generated/graphql';
import { tokenActions } from '../../web/src/lib/token-actions';

const OWNER = { userId: 'owner', admin: false };
const ADMIN = { userId: 'admin', admin: true };
const pat = (status: AccessTokenStatus = 'ACTIVE', enabled = true) => ({ status, enabled, personalAccessToken: true, owner: { id: 'owner' } });
const classic = (status: AccessTokenStatus = 'ACTIVE') => ({ status, enabled: true, personalAccessToken: false, owner: { id: 'someone' } });

describe('the actions a page offers on a token', () => {
  it('offers the owner everything on an active PAT', () => {
    expect(tokenActions(pat(), OWNER)).toEqual({ rotate: true, disable: true, enable: false, revoke: true, delete: true });
  });

  it('never offers an admin the rotation of another user\'s PAT: it would hand over a secret acting as that user', () => {
    expect(tokenActions(pat(), ADMIN)).toEqual({ rotate: false, disable: true, enable: false, revoke: true, delete: true });
  });

  it('offers classic API tokens to admins only, rotation included', () => {
    expect(tokenActions(classic(), ADMIN)).toEqual({ rotate: true, disable: true, enable: false, revoke: true, delete: true });
    expect(tokenActions(classic(), { userId: 'someone', admin: false })).toEqual({ rotate: false, disable: false, enable: false, revoke: false, delete: false });
  });

  it('offers only deletion once a token is expired or revoked', () => {
    for (const status of ['EXPIRED', 'REVOKED'] as const) {
      expect(tokenActions(pat(status), OWNER)).toEqual({ rotate: false, disable: false, enable: false, revoke: false, delete: true });
      expect(tokenActions(pat(status, false), ADMIN)).toEqual({ rotate: false, disable: false, enable: false, revoke: false, delete: true });
    }
  });

  it('lets the owner lift its own disable, but not an administrator\'s', () => {
    expect(tokenActions(pat('DISABLED', false), OWNER).enable).toBe(true);
    const blocked = tokenActions(pat('DISABLED', false), OWNER, true);
    expect(blocked.enable).toBe(false);
    expect(blocked.enableRefusal).toMatch(/only an administrator/);
    expect(tokenActions(pat('DISABLED', false), ADMIN, true).enable).toBe(true);
  });

  it('offers nothing on another user\'s PAT to a user who is not an admin', () => {
    expect(tokenActions(pat(), { userId: 'stranger', admin: false })).toEqual({ rotate: false, disable: false, enable: false, revoke: false, delete: false });
  });
});
