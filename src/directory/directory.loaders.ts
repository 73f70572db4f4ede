import DataLoader from 'dataloader';
import type { Made } from '../graphql/lazily';
import { PrimedLoader } from '../graphql/primed-loader';
import type { DirectoryService } from './directory.service';
import type { EffectiveGrant } from './effective-grant';
import type { ManagementZone } from './management-zone.entity';
import type { PermissionGrant } from './permission-grant.entity';
import type { User } from './user.entity';

function inKeyOrder<K, V>(keys: readonly K[], found: Map<K, V>, missing: (key: K) => V | Error): (V | Error)[] {
  return keys.map((key) => (found.has(key) ? found.get(key)! : missing(key)));
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/**
 * Per-request batching of directory reads: one query per kind, whatever the number of parents.
 * Each entry is a factory; the context makes a loader on the request's first use of it.
 */
export function directoryLoaders(directory: DirectoryService) {
  return {
    /** Primed with the owners a page of tokens read with it, which its fields then show without a promise. */
    users: () =>
      new PrimedLoader(
        new DataLoader<string, User>(async (ids) => {
          const users = await directory.usersByIds(ids);
          return inKeyOrder(ids, new Map(users.map((user) => [user.id, user])), (id) => new Error(`user ${id} not found`));
        }),
      ),
    zones: () => new DataLoader<string, ManagementZone>(async (ids) => {
      const zones = await directory.zonesByIds(ids);
      return inKeyOrder(ids, new Map(zones.map((zone) => [zone.id, zone])), (id) => new Error(`zone ${id} not found`));
    }),
    grantsOfUser: () => new DataLoader<string, EffectiveGrant[]>(async (ids) => {
      const grants = await directory.grantsOfUsers(ids);
      return ids.map((id) => grants.get(id) ?? []);
    }),
    grantsOfGroup: () => new DataLoader<string, PermissionGrant[]>(async (ids) => {
      const grants = groupBy(await directory.grantsOfGroups(ids), (grant) => grant.groupId);
      return inKeyOrder(ids, grants, () => []);
    }),
    membersOfGroup: () => new DataLoader<string, User[]>(async (ids) => {
      const members = groupBy(await directory.membersOfGroups(ids), (member) => member.groupId);
      return ids.map((id) => (members.get(id) ?? []).map((member) => member.user));
    }),
  };
}

export type DirectoryLoaders = Made<ReturnType<typeof directoryLoaders>>;
