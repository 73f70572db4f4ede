import DataLoader from 'dataloader';
import type { Scope } from '../scopes/scope.entity';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import type { AccessTokenService } from './access-token.service';

/** Per-request batching of token reads: the scopes of a page of tokens in one query. */
export function createAccessTokenLoaders(tokens: AccessTokenService, catalog: ScopeCatalog) {
  return {
    scopesOfToken: new DataLoader<string, Scope[]>(async (ids) => {
      const byToken = await tokens.scopesOfTokens(ids);
      return ids.map((id) => (byToken.get(id) ?? []).map((value) => catalog.get(value)!));
    }),
  };
}

export type AccessTokenLoaders = ReturnType<typeof createAccessTokenLoaders>;
