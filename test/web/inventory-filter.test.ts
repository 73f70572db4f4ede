import { EMPTY_FORM, criteriaCount, filterOf, revocableFilter } from '../../web/src/lib/inventory-filter';
import { parseRoute } from '../../web/src/lib/route';

describe('the inventory\'s filter form', () => {
  it('sends nothing for an empty form, which a bulk revoke refuses', () => {
    expect(filterOf(EMPTY_FORM)).toEqual({});
    expect(criteriaCount(filterOf({ ...EMPTY_FORM, nameContains: '   ' }))).toBe(0);
  });

  it('sends each filled field as the API names it, dates as the start of the local day', () => {
    const filter = filterOf({
      nameContains: ' ci ',
      ownerId: 'u1',
      kind: 'classic',
      statuses: ['ACTIVE'],
      scopes: ['metrics.read'],
      lastUsedBefore: '2027-01-10',
      lastUsedAfter: '',
      expiringBefore: '2027-02-01',
    });
    expect(filter).toEqual({
      nameContains: 'ci',
      ownerId: 'u1',
      personalAccessToken: false,
      status: ['ACTIVE'],
      scopes: ['metrics.read'],
      lastUsedBefore: new Date(2027, 0, 10).toISOString(),
      expiringBefore: new Date(2027, 1, 1).toISOString(),
    });
    expect(criteriaCount(filter)).toBe(7);
  });

  it('counts what a bulk revoke would change: the matching tokens not revoked yet', () => {
    expect(revocableFilter({ nameContains: 'ci' })).toEqual({ nameContains: 'ci', status: ['ACTIVE', 'DISABLED', 'SUSPENDED', 'EXPIRED'] });
    expect(revocableFilter({ status: ['ACTIVE', 'REVOKED'] })).toEqual({ status: ['ACTIVE'] });
    expect(revocableFilter({ status: ['REVOKED'] })).toBeNull();
  });
});

describe('the app\'s pages in the URL fragment', () => {
  it('reads each page and falls back to my tokens and to the admin settings', () => {
    expect(parseRoute('#/sign-in')).toEqual({ page: 'sign-in' });
    expect(parseRoute('#/admin/inventory')).toEqual({ page: 'admin', section: 'inventory' });
    expect(parseRoute('#/admin/nonsense')).toEqual({ page: 'admin', section: 'settings' });
    expect(parseRoute('')).toEqual({ page: 'tokens' });
    expect(parseRoute('#/whatever')).toEqual({ page: 'tokens' });
  });
});
