import { registerEnumType } from 'type-graphql';

export enum Permission {
  VIEWER = 'VIEWER',
  MANAGE_SETTINGS = 'MANAGE_SETTINGS',
  MANAGE_SECURITY_PROBLEMS = 'MANAGE_SECURITY_PROBLEMS',
  ADMIN = 'ADMIN',
}

registerEnumType(Permission, {
  name: 'Permission',
  description: 'A user permission in this environment, granted through groups.',
  valuesConfig: {
    VIEWER: { description: 'Access the environment and read its monitoring data.' },
    MANAGE_SETTINGS: { description: 'Change monitoring settings.' },
    MANAGE_SECURITY_PROBLEMS: { description: 'Triage and change security problems and attack settings.' },
    ADMIN: { description: 'Administer the environment: features, groups, everyone\'s tokens.' },
  },
});

/**
 * What holding a permission also grants, in the same place (environment or zone).
 * ADMIN administers everything; managing settings or security problems needs access to the
 * environment, so both include VIEWER.
 */
const IMPLIED: Record<Permission, readonly Permission[]> = {
  [Permission.VIEWER]: [],
  [Permission.MANAGE_SETTINGS]: [Permission.VIEWER],
  [Permission.MANAGE_SECURITY_PROBLEMS]: [Permission.VIEWER],
  [Permission.ADMIN]: [Permission.VIEWER, Permission.MANAGE_SETTINGS, Permission.MANAGE_SECURITY_PROBLEMS],
};

export function grants(held: Permission, wanted: Permission): boolean {
  return held === wanted || IMPLIED[held].includes(wanted);
}
