// The scope picker's grouping and wording: scopes grouped by the API their value names.
import type { Permission } from '../../../client/generated/graphql';

export interface ScopeOption {
  value: string;
  name: string;
  description: string;
  requiredPermission: Permission;
  managementZoneScoped: boolean;
  usableByMe: boolean;
}

export interface ScopeGroup<S extends ScopeOption = ScopeOption> {
  /** The API part of the values, e.g. `metrics` for metrics.read and metrics.write. */
  api: string;
  /** A heading for people, e.g. "Metrics" or "API tokens". */
  label: string;
  scopes: S[];
}

const PERMISSION_WORDS: Record<Permission, string> = {
  ADMIN: 'Admin',
  MANAGE_SECURITY_PROBLEMS: 'Manage security problems',
  MANAGE_SETTINGS: 'Manage settings',
  VIEWER: 'Viewer',
};

export function permissionLabel(permission: Permission): string {
  return PERMISSION_WORDS[permission] ?? permission;
}

export function apiOf(value: string): string {
  const dot = value.indexOf('.');
  return dot < 0 ? value : value.slice(0, dot);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "javaScriptMappingFiles" → "Java script mapping files": the fallback when the names share no words. */
function humanize(api: string): string {
  return capitalize(api.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

/**
 * The words every scope name of the group ends with, which is the API the names speak of
 * ("Read API tokens", "Write API tokens" → "API tokens"). A lone scope or names sharing no
 * ending are named after the value instead.
 */
export function apiLabel(api: string, names: readonly string[]): string {
  if (names.length < 2) return humanize(api);
  const words = names.map((name) => name.split(/\s+/));
  const shortest = Math.min(...words.map((list) => list.length));
  const common: string[] = [];
  // Stop before the first word: it is the verb ("Read", "Write and execute"), not the API.
  for (let fromEnd = 1; fromEnd < shortest; fromEnd += 1) {
    const word = words[0][words[0].length - fromEnd];
    if (!words.every((list) => list[list.length - fromEnd] === word)) break;
    common.unshift(word);
  }
  return common.length ? capitalize(common.join(' ')) : humanize(api);
}

/** Groups in the order of their labels; scopes keep the order they came in. */
export function groupScopes<S extends ScopeOption>(scopes: readonly S[]): ScopeGroup<S>[] {
  const byApi = new Map<string, S[]>();
  for (const scope of scopes) {
    const api = apiOf(scope.value);
    byApi.set(api, [...(byApi.get(api) ?? []), scope]);
  }
  return [...byApi]
    .map(([api, members]) => ({ api, label: apiLabel(api, members.map((scope) => scope.name)), scopes: members }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }));
}

/** Case-insensitive match on value, name, description or the group's label; an empty search keeps every group. */
export function filterScopeGroups<S extends ScopeOption>(groups: readonly ScopeGroup<S>[], search: string): ScopeGroup<S>[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return [...groups];
  return groups
    .map((group) => {
      if (group.label.toLowerCase().includes(needle)) return group;
      const scopes = group.scopes.filter((scope) =>
        [scope.value, scope.name, scope.description].some((text) => text.toLowerCase().includes(needle)),
      );
      return { ...group, scopes };
    })
    .filter((group) => group.scopes.length > 0);
}

/** Why the caller could not use the scope today, or null when it can. */
export function unusableReason(scope: Pick<ScopeOption, 'usableByMe' | 'requiredPermission' | 'managementZoneScoped'>): string | null {
  if (scope.usableByMe) return null;
  const permission = permissionLabel(scope.requiredPermission);
  return scope.managementZoneScoped
    ? `You cannot use it today: it needs the ${permission} permission, environment-wide or in a management zone.`
    : `You cannot use it today: it needs the ${permission} permission environment-wide.`;
}
