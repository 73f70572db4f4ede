import DataLoader from 'dataloader';
import type { Made } from '../graphql/lazily';
import { PrimedLoader } from '../graphql/primed-loader';
import type { Scope } from '../scopes/scope.entity';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import type { AccessTokenIp } from './access-token-ip.entity';
import type { Caller } from '../auth/caller';
import type { AccessTokenRepository, OwnerPageRequest, TokenPage } from './access-token.repository';
import type { AccessTokenService } from './access-token.service';

/** A page of one owner's PATs, asked for by the request's caller (the same for every key of a request's loader). */
export interface OwnerPageKey extends OwnerPageRequest {
  caller: Caller;
}

/**
 * Per-request batching of token reads: the scopes (or zones, or addresses) of a page of tokens in
 * one query. Each entry is a factory; the context makes a loader on the request's first use of it.
 */
export function accessTokenLoaders({ tokens, repository, catalog }: { tokens: AccessTokenService; repository: AccessTokenRepository; catalog: ScopeCatalog }) {
  return {
    /** Primed with the scopes a page of tokens read with it, which its fields then show without a promise. */
    scopesOfToken: () =>
      new PrimedLoader(
        new DataLoader<string, Scope[]>(async (ids) => {
          const byToken = await repository.scopesOfTokens(ids);
          return ids.map((id) => (byToken.get(id) ?? []).map((value) => catalog.get(value)!));
        }),
      ),
    /** Zone ids a PAT is restricted to; empty: not restricted. */
    zoneRestrictionOfToken: () => new DataLoader<string, string[]>(async (ids) => {
      const byToken = await repository.zonesOfTokens(ids);
      return ids.map((id) => byToken.get(id) ?? []);
    }),
    /**
     * `User.personalAccessTokens` of every user in a list, in one statement per distinct page
     * arguments, and their totalCounts, when asked for, in one more.
     */
    personalTokenPages: () => {
      const counts = new DataLoader<string, number>(async (ownerIds) => {
        const byOwner = await repository.personalTokenCounts(ownerIds);
        return ownerIds.map((id) => byOwner.get(id) ?? 0);
      });
      return new DataLoader<OwnerPageKey, TokenPage, string>(
        (keys) => tokens.personalTokenPages(keys[0].caller, keys, (ownerId) => counts.load(ownerId)),
        { cacheKeyFn: (key) => JSON.stringify([key.ownerId, key.first ?? null, key.after ?? null]) },
      );
    },
    recentAddressesOfToken: () => new DataLoader<string, AccessTokenIp[]>(async (ids) => {
      const byToken = await repository.recentAddressesOfTokens(ids);
      return ids.map((id) => byToken.get(id) ?? []);
    }),
  };
}

export type AccessTokenLoaders = Made<ReturnType<typeof accessTokenLoaders>>;
