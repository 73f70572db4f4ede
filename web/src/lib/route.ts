// The app's pages live in the URL's fragment (#/tokens), so the service serves one document for all.

export const ADMIN_SECTIONS = ['settings', 'api-tokens', 'inventory', 'users', 'groups'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route = { page: 'sign-in' } | { page: 'tokens' } | { page: 'admin'; section: AdminSection };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'sign-in') return { page: 'sign-in' };
  if (parts[0] === 'admin') {
    const section = ADMIN_SECTIONS.find((name) => name === parts[1]) ?? 'settings';
    return { page: 'admin', section };
  }
  return { page: 'tokens' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'sign-in':
      return '#/sign-in';
    case 'tokens':
      return '#/tokens';
    case 'admin':
      return `#/admin/${route.section}`;
  }
}
