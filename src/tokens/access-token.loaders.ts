import DataLoader from 'dataloader';
import type { Made } from '../graphql/lazily';
import type { Scope } from '../scopes/scope.entity';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import type { AccessTokenIp } from './access-token-ip.entity';
import type { AccessTokenService } from './access-token.service';

/**
 * Per-request batching of token reads: the scopes (or zones, or addresses) of a page of tokens in
 * one query. Each entry is a factory; the context makes a loader on the request's first use of it.
 */
export function accessTokenLoaders(tokens: AccessTokenService, catalog: ScopeCatalog) {
  return {
    scopesOfToken: () => new DataLoader<string, Scope[]>(async (ids) => {
      const byToken = await tokens.scopesOfTokens(ids);
      return ids.map((id) => (byToken.get(id) ?? []).map((value) => catalog.get(value)!));
    }),
    /** Zone ids a PAT is restricted to; empty: not restricted. */
    zoneRestrictionOfToken: () => new DataLoader<string, string[]>(async (ids) => {
      const byToken = await tokens.zonesOfTokens(ids);
      return ids.map((id) => byToken.get(id) ?? []);
    }),
    recentAddressesOfToken: () => new DataLoader<string, AccessTokenIp[]>(async (ids) => {
      const byToken = await tokens.recentAddressesOfTokens(ids);
      return ids.map((id) => byToken.get(id) ?? []);
    }),
  };
}

export type AccessTokenLoaders = Made<ReturnType<typeof accessTokenLoaders>>;
