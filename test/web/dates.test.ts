import {
  customDateBounds,
  defaultExpiry,
  expirationDateOf,
  expiresSoon,
  expiryPresets,
  expiryProblem,
  noExpiryAllowed,
  relativeTime,
  startOfDay,
} from '../../web/src/lib/dates';

// Local time, as the browser's date inputs work in it: 15 January 2027, 10:30.
const NOW = new Date(2027, 0, 15, 10, 30);
const OPEN = { requireExpiration: false, maxLifetimeDays: null };
const DAY = 86_400_000;

describe('expiry presets and policy', () => {
  it('offers 30, 60 and 90 days and no expiry when the policy sets nothing', () => {
    expect(expiryPresets(OPEN).map((preset) => preset.days)).toEqual([30, 60, 90]);
    expect(noExpiryAllowed(OPEN)).toBe(true);
    expect(defaultExpiry(OPEN)).toEqual({ kind: 'days', days: 30 });
  });

  it('offers no "no expiry" once the policy requires an expiration or caps the lifetime', () => {
    expect(noExpiryAllowed({ requireExpiration: true })).toBe(false);
    expect(noExpiryAllowed({ requireExpiration: false, maxLifetimeDays: 365 })).toBe(false);
    expect(expiryProblem({ kind: 'none' }, { requireExpiration: true }, NOW)).toMatch(/requires an expiration/);
  });

  it('drops the presets beyond the longest lifetime and offers that lifetime itself', () => {
    expect(expiryPresets({ requireExpiration: true, maxLifetimeDays: 45 })).toEqual([
      { days: 30, policyLimit: false },
      { days: 45, policyLimit: true },
    ]);
    expect(expiryPresets({ requireExpiration: true, maxLifetimeDays: 60 })).toEqual([
      { days: 30, policyLimit: false },
      { days: 60, policyLimit: false },
    ]);
    expect(expiryPresets({ requireExpiration: true, maxLifetimeDays: 400 }).map((preset) => preset.days)).toEqual([30, 60, 90]);
  });

  it('starts on the longest allowed preset when 30 days is too long, and on a date to choose when no preset fits', () => {
    expect(defaultExpiry({ requireExpiration: true, maxLifetimeDays: 7 })).toEqual({ kind: 'days', days: 7 });
    expect(expiryPresets({ requireExpiration: true, maxLifetimeDays: 7 })).toEqual([{ days: 7, policyLimit: true }]);
  });

  it('refuses a preset longer than the policy allows', () => {
    expect(expiryProblem({ kind: 'days', days: 90 }, { requireExpiration: true, maxLifetimeDays: 60 }, NOW)).toMatch(/at most 60 days/);
    expect(expiryProblem({ kind: 'days', days: 60 }, { requireExpiration: true, maxLifetimeDays: 60 }, NOW)).toBeNull();
  });
});

describe('the dates sent', () => {
  it('sends a preset as now plus that many days', () => {
    expect(expirationDateOf({ kind: 'days', days: 30 }, NOW)!.getTime()).toBe(NOW.getTime() + 30 * DAY);
    expect(expirationDateOf({ kind: 'none' }, NOW)).toBeNull();
  });

  it('sends a custom day as the start of that day in local time', () => {
    expect(expirationDateOf({ kind: 'custom', date: '2027-03-01' }, NOW)).toEqual(new Date(2027, 2, 1));
    expect(expirationDateOf({ kind: 'custom', date: '' }, NOW)).toBeNull();
  });

  it('reads only real days', () => {
    expect(startOfDay('2027-02-30')).toBeNull();
    expect(startOfDay('27-2-3')).toBeNull();
    expect(startOfDay('2028-02-29')).toEqual(new Date(2028, 1, 29));
  });

  it('bounds a custom day from tomorrow to the last day whose start is within the policy', () => {
    expect(customDateBounds(OPEN, NOW)).toEqual({ min: '2027-01-16' });
    const bounds = customDateBounds({ requireExpiration: true, maxLifetimeDays: 30 }, NOW);
    expect(bounds).toEqual({ min: '2027-01-16', max: '2027-02-14' });
    // The start of the last day offered is still within the lifetime the service allows.
    expect(startOfDay(bounds.max!)!.getTime()).toBeLessThanOrEqual(NOW.getTime() + 30 * DAY);
  });

  it('explains a custom day that is missing, past or beyond the policy', () => {
    const policy = { requireExpiration: true, maxLifetimeDays: 30 };
    expect(expiryProblem({ kind: 'custom', date: '' }, policy, NOW)).toMatch(/Choose the day/);
    expect(expiryProblem({ kind: 'custom', date: '2027-01-15' }, policy, NOW)).toMatch(/after today/);
    expect(expiryProblem({ kind: 'custom', date: '2027-02-15' }, policy, NOW)).toMatch(/at most 30 days: choose 2027-02-14 or earlier/);
    expect(expiryProblem({ kind: 'custom', date: '2027-02-14' }, policy, NOW)).toBeNull();
  });
});

describe('how expiry reads in the list', () => {
  it('calls an expiry within seven days soon, and neither a past nor a distant one', () => {
    expect(expiresSoon(new Date(NOW.getTime() + 3 * DAY).toISOString(), NOW)).toBe(true);
    expect(expiresSoon(new Date(NOW.getTime() + 8 * DAY).toISOString(), NOW)).toBe(false);
    expect(expiresSoon(new Date(NOW.getTime() - DAY).toISOString(), NOW)).toBe(false);
    expect(expiresSoon(null, NOW)).toBe(false);
  });

  it('says how far a date is in its largest whole unit', () => {
    expect(relativeTime(new Date(NOW.getTime() + 3 * DAY), NOW, 'en')).toBe('in 3 days');
    expect(relativeTime(new Date(NOW.getTime() - 2 * 3_600_000), NOW, 'en')).toBe('2 hours ago');
    expect(relativeTime(NOW, NOW, 'en')).toBe('this minute');
    // A token made to last three days reads as three days a moment later, not two.
    expect(relativeTime(new Date(NOW.getTime() + 3 * DAY - 60_000), NOW, 'en')).toBe('in 3 days');
  });
});
