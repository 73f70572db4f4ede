// Expiry choices and how dates read. Pure functions of `now`, so they are tested without a clock.

const DAY_MS = 86_400_000;

/** The expiry presets every token page offers, as GitLab and GitHub do. */
export const PRESET_DAYS = [30, 60, 90] as const;

/** Within this many days an expiry is "soon" and the list highlights it. */
export const SOON_DAYS = 7;

export interface ExpiryPolicy {
  requireExpiration: boolean;
  maxLifetimeDays?: number | null;
}

export type ExpiryChoice =
  | { kind: 'days'; days: number }
  /** `date` as an `<input type="date">` gives it: YYYY-MM-DD, in local time; empty until chosen. */
  | { kind: 'custom'; date: string }
  | { kind: 'none' };

export interface ExpiryPreset {
  days: number;
  /** The policy's own limit when it is not one of the usual presets. */
  policyLimit: boolean;
}

/** Whether a token may be created without an expiry under this policy. */
export function noExpiryAllowed(policy: ExpiryPolicy): boolean {
  return !policy.requireExpiration && policy.maxLifetimeDays == null;
}

/** The presets the policy allows, plus the policy's own limit when it is shorter than the longest preset and not one of them. */
export function expiryPresets(policy: ExpiryPolicy): ExpiryPreset[] {
  const max = policy.maxLifetimeDays ?? Number.POSITIVE_INFINITY;
  const presets: ExpiryPreset[] = PRESET_DAYS.filter((days) => days <= max).map((days) => ({ days, policyLimit: false }));
  if (Number.isFinite(max) && max < PRESET_DAYS[PRESET_DAYS.length - 1] && !presets.some((preset) => preset.days === max)) {
    presets.push({ days: max, policyLimit: true });
    presets.sort((a, b) => a.days - b.days);
  }
  return presets;
}

/** What a form starts with: 30 days where allowed, else the longest preset the policy allows, else a date to choose. */
export function defaultExpiry(policy: ExpiryPolicy): ExpiryChoice {
  const presets = expiryPresets(policy);
  const preferred = presets.find((preset) => preset.days === PRESET_DAYS[0]) ?? presets[presets.length - 1];
  return preferred ? { kind: 'days', days: preferred.days } : { kind: 'custom', date: '' };
}

/** YYYY-MM-DD of a date in local time, as `<input type="date">` reads and writes it. */
export function toDateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The start (00:00 local time) of a YYYY-MM-DD day; null when the text is no such day. */
export function startOfDay(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  return date.getFullYear() === year && date.getMonth() === month && date.getDate() === day ? date : null;
}

/**
 * The days a custom expiry may fall on. A custom date means "expires when that day begins", so the
 * first is tomorrow, and the last is the day whose start is still within the policy's lifetime.
 */
export function customDateBounds(policy: ExpiryPolicy, now: Date): { min: string; max?: string } {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const min = toDateInputValue(tomorrow);
  if (policy.maxLifetimeDays == null) return { min };
  return { min, max: toDateInputValue(new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS)) };
}

/** The expirationDate to send; null for no expiry or a custom date not chosen yet. */
export function expirationDateOf(choice: ExpiryChoice, now: Date): Date | null {
  switch (choice.kind) {
    case 'days':
      return new Date(now.getTime() + choice.days * DAY_MS);
    case 'custom':
      return startOfDay(choice.date);
    case 'none':
      return null;
  }
}

/** Why the choice cannot be sent under this policy, in words for the expiry field; null when it can. */
export function expiryProblem(choice: ExpiryChoice, policy: ExpiryPolicy, now: Date): string | null {
  if (choice.kind === 'none') {
    return noExpiryAllowed(policy) ? null : 'The expiry policy requires an expiration date.';
  }
  if (choice.kind === 'custom') {
    if (!choice.date) return 'Choose the day the token expires.';
    const bounds = customDateBounds(policy, now);
    if (!startOfDay(choice.date)) return 'That is not a date.';
    if (choice.date < bounds.min) return 'Choose a day after today.';
    if (bounds.max && choice.date > bounds.max) return `The expiry policy allows at most ${policy.maxLifetimeDays} days: choose ${bounds.max} or earlier.`;
    return null;
  }
  if (policy.maxLifetimeDays != null && choice.days > policy.maxLifetimeDays) {
    return `The expiry policy allows at most ${policy.maxLifetimeDays} days.`;
  }
  return null;
}

/** True for a date within `SOON_DAYS` from now that has not passed yet. */
export function expiresSoon(expirationDate: string | null | undefined, now: Date, withinDays = SOON_DAYS): boolean {
  if (!expirationDate) return false;
  const left = new Date(expirationDate).getTime() - now.getTime();
  return left > 0 && left <= withinDays * DAY_MS;
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "2 hours ago", "this minute": the largest unit the distance reaches, rounded. */
export function relativeTime(date: string | Date, now: Date, locale?: string): string {
  const difference = new Date(date).getTime() - now.getTime();
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(difference) >= size) return format.format(Math.round(difference / size), unit);
  }
  return format.format(0, 'minute');
}

export function formatDate(date: string | Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(date));
}

export function formatDateTime(date: string | Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(date));
}
