// The inventory's filter form, as the API's AccessTokenFilter, and what a bulk revoke would touch.
import type { AccessTokenFilter, AccessTokenSortField, AccessTokenStatus, SortDirection } from '../../../client/generated/graphql';
import { startOfDay } from './dates';

export const STATUSES: readonly AccessTokenStatus[] = ['ACTIVE', 'DISABLED', 'SUSPENDED', 'EXPIRED', 'REVOKED'];

export interface InventoryForm {
  nameContains: string;
  ownerId: string;
  kind: 'any' | 'personal' | 'classic';
  statuses: AccessTokenStatus[];
  scopes: string[];
  /** YYYY-MM-DD, local; empty: no bound. */
  lastUsedBefore: string;
  lastUsedAfter: string;
  expiringBefore: string;
}

export const EMPTY_FORM: InventoryForm = {
  nameContains: '',
  ownerId: '',
  kind: 'any',
  statuses: [],
  scopes: [],
  lastUsedBefore: '',
  lastUsedAfter: '',
  expiringBefore: '',
};

export interface SortOrder {
  field: AccessTokenSortField;
  direction: SortDirection;
}

export const SORT_ORDERS: readonly { label: string; order: SortOrder }[] = [
  { label: 'Newest first', order: { field: 'CREATION_DATE', direction: 'DESC' } },
  { label: 'Oldest first', order: { field: 'CREATION_DATE', direction: 'ASC' } },
  { label: 'Name A–Z', order: { field: 'NAME', direction: 'ASC' } },
  { label: 'Name Z–A', order: { field: 'NAME', direction: 'DESC' } },
  { label: 'Expiring soonest (no expiry last)', order: { field: 'EXPIRATION_DATE', direction: 'ASC' } },
  { label: 'Expiring latest', order: { field: 'EXPIRATION_DATE', direction: 'DESC' } },
  { label: 'Used longest ago (never used first)', order: { field: 'LAST_USED_DATE', direction: 'ASC' } },
  { label: 'Used most recently', order: { field: 'LAST_USED_DATE', direction: 'DESC' } },
];

function isoStartOf(day: string): string | undefined {
  return startOfDay(day)?.toISOString();
}

/** The API filter of the form; fields left empty are left out. */
export function filterOf(form: InventoryForm): AccessTokenFilter {
  const filter: AccessTokenFilter = {};
  if (form.nameContains.trim()) filter.nameContains = form.nameContains.trim();
  if (form.ownerId) filter.ownerId = form.ownerId;
  if (form.kind !== 'any') filter.personalAccessToken = form.kind === 'personal';
  if (form.statuses.length) filter.status = [...form.statuses];
  if (form.scopes.length) filter.scopes = [...form.scopes];
  const lastUsedBefore = isoStartOf(form.lastUsedBefore);
  const lastUsedAfter = isoStartOf(form.lastUsedAfter);
  const expiringBefore = isoStartOf(form.expiringBefore);
  if (lastUsedBefore) filter.lastUsedBefore = lastUsedBefore;
  if (lastUsedAfter) filter.lastUsedAfter = lastUsedAfter;
  if (expiringBefore) filter.expiringBefore = expiringBefore;
  return filter;
}

export function criteriaCount(filter: AccessTokenFilter): number {
  return Object.values(filter).filter((value) => value !== undefined && value !== null).length;
}

/**
 * The tokens a bulk revoke of `filter` would change: the same filter without the revoked ones
 * (revoking them again changes nothing). Null when nothing could match: only REVOKED was asked for.
 */
export function revocableFilter(filter: AccessTokenFilter): AccessTokenFilter | null {
  const statuses = (filter.status ?? STATUSES).filter((status) => status !== 'REVOKED');
  return statuses.length ? { ...filter, status: [...statuses] } : null;
}
