import { Initial1795839570467 } from './1795839570467-Initial';
import { SeedScopesAndFeatures1795839570468 } from './1795839570468-SeedScopesAndFeatures';
import { TokenLifecycle1795840946662 } from './1795840946662-TokenLifecycle';
import { RetiredSecrets1795844215881 } from './1795844215881-RetiredSecrets';
import { AdministratorDisable1796093249943 } from './1796093249943-AdministratorDisable';

/** Every migration, in order. A new one is generated with `npm run migration:generate` and listed here. */
export const migrations: Function[] = [
  Initial1795839570467,
  SeedScopesAndFeatures1795839570468,
  TokenLifecycle1795840946662,
  RetiredSecrets1795844215881,
  AdministratorDisable1796093249943,
];
