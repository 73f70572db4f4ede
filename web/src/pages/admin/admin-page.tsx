import type { AdminSection } from '../../lib/route';
import { ApiTokensSection } from './api-tokens';
import { GroupsSection } from './groups';
import { InventorySection } from './inventory';
import { SettingsSection } from './settings';
import { UsersSection } from './users';

const SECTIONS: { section: AdminSection; label: string }[] = [
  { section: 'settings', label: 'Settings' },
  { section: 'api-tokens', label: 'Classic API tokens' },
  { section: 'inventory', label: 'Token inventory' },
  { section: 'users', label: 'Users' },
  { section: 'groups', label: 'Groups and zones' },
];

export function AdminPage({ section }: { section: AdminSection }) {
  return (
    <main id="main" tabIndex={-1}>
      <h1>Administration</h1>
      <nav class="tabs" aria-label="Administration sections">
        <ul>
          {SECTIONS.map((entry) => (
            <li key={entry.section}>
              <a href={`#/admin/${entry.section}`} aria-current={entry.section === section ? 'page' : undefined}>
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'settings' && <SettingsSection />}
      {section === 'api-tokens' && <ApiTokensSection />}
      {section === 'inventory' && <InventorySection />}
      {section === 'users' && <UsersSection />}
      {section === 'groups' && <GroupsSection />}
    </main>
  );
}
