import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { WEB_APP_PATH } from '../../src/http/web-app';
import { describeInBrowser, launchChromium } from '../helpers/browser';
import { type Actor, TestService } from '../helpers/service';
import { eventually, sleep } from '../helpers/time';

/**
 * The token settings app as people use it: Debian's Chromium, headless, driven by playwright-core,
 * against the real service and PostgreSQL. Every page is checked with axe-core and for Content-Security-Policy violations; the pictures in
 * docs/ are rewritten only with UPDATE_SCREENSHOT=1.
 */
const DOCS = join(__dirname, '../../docs');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TOKEN = /^dt0c01\.[A-Z2-7]{24}\.[A-Z2-7]{64}$/;
const DAY = 86_400_000;
/** A user's fields that only that user and administrators may read. */
const IDENTITY_FIELDS = new Set(['subject', 'email', 'permissions']);

/** What the page sees, for the functions that run in the browser (the project's types have no DOM). */
declare const window: {
  cspViolations: string[];
  axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> };
};
declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(selector: string): { value: string } | null };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const sessionStorage: { length: number; key(index: number): string | null };
declare const localStorage: { length: number };
declare const location: { hash: string };
declare const addEventListener: (type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void) => void;

/** Polls until `check` holds (Playwright's own waiting assertions belong to its test runner, not to playwright-core). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  if (!(await eventually(() => check().catch(() => false), timeoutMs, 100))) throw new Error(`timed out waiting until ${what}`);
}

/** The text a screen reader reads after a control's name: the elements its aria-describedby names. */
async function descriptionOf(locator: Locator): Promise<string> {
  const ids = (await locator.getAttribute('aria-describedby'))?.split(/\s+/).filter(Boolean) ?? [];
  const texts = await Promise.all(ids.map((id) => locator.page().locator(`[id="${id}"]`).innerText()));
  return texts.join(' ').trim();
}

function describedAs(locator: Locator, expected: RegExp): Promise<void> {
  return until(`${locator} is described as ${expected}`, async () => expected.test(await descriptionOf(locator)));
}

function focused(locator: Locator): Promise<void> {
  return until(`${locator} has the focus`, () => locator.evaluate((element) => element === (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement));
}

describeInBrowser('the token settings app in a browser', () => {
  let service: TestService;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  let admin: Actor;
  let alice: Actor;
  let bob: Actor;
  let adminPage: Page;
  let alicePage: Page;
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];
  const identityRefusals: string[] = [];
  const graphqlAnswers: Promise<void>[] = [];
  let secret = '';
  let rotatedSecret = '';

  const authorize = async (token: string) => service.request('{ authorize(scope: "metrics.read") { allowed reason } }', {}, `Api-Token ${token}`);

  async function openPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) outsideRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Asking another user's identity fields would be refused field by field, leaving the page with partial data.
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/graphql') return;
      const read = (response.json() as Promise<{ errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] }>).then((body) => {
        for (const error of body.errors ?? []) {
          const field = error.path?.at(-1);
          if (typeof field === 'string' && IDENTITY_FIELDS.has(field)) identityRefusals.push(`${error.extensions?.code} at ${error.path!.join('.')}`);
        }
      });
      graphqlAnswers.push(read.catch(() => undefined));
    });
    await page.goto(`${origin}${WEB_APP_PATH}`);
    return page;
  }

  async function signIn(page: Page, header: string): Promise<void> {
    await page.getByLabel('Sign-in token').fill(header);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tokens', level: 1 }).waitFor();
  }

  /** No serious or critical accessibility violation, and nothing the page did was blocked by its CSP. */
  async function checkPage(page: Page, what: string): Promise<void> {
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ what, id: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target) }));
    expect(serious).toEqual([]);
    expect({ what, csp: await page.evaluate(() => window.cspViolations) }).toEqual({ what, csp: [] });
  }

  /** The whole page, or its top `height` pixels where the whole would be mostly more of the same. */
  async function picture(page: Page, name: string, height?: number): Promise<void> {
    const width = page.viewportSize()!.width;
    const png = await page.screenshot(height ? { fullPage: true, clip: { x: 0, y: 0, width, height } } : { fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Written only on request (UPDATE_SCREENSHOT=1 npm test): the bytes differ from run to run.
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(DOCS, { recursive: true });
      await writeFile(join(DOCS, `${name}.png`), png);
    }
  }

  function row(page: Page, name: string): Locator {
    return page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
  }

  async function confirmDialog(page: Page, button: string): Promise<string> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const heading = await dialog.getByRole('heading').innerText();
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    return heading;
  }

  beforeAll(async () => {
    service = await TestService.start();
    origin = new URL(service.url).origin;
    admin = await service.admin();
    alice = await service.user('alice', { name: 'Alice Example', email: 'alice@example.com' });
    bob = await service.user('bob', { email: 'bob@example.com' });
    await service.grant(alice, { permission: 'VIEWER' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    // Init scripts run before the page's own and are not subject to its CSP: axe-core and a CSP violation log.
    await context.addInitScript({ content: AXE_SOURCE });
    await context.addInitScript(() => {
      window.cspViolations = [];
      addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  afterEach(async () => {
    // Everything came from the service itself (it works offline), and no script failed.
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    // No page asked for a user's subject, email or permissions it may not read.
    await Promise.all(graphqlAnswers.splice(0));
    expect(identityRefusals).toEqual([]);
  });

  it('explains an expired sign-in with the command that makes a new one, then signs the admin in with the header npm start prints', async () => {
    adminPage = await openPage();
    await adminPage.getByRole('heading', { name: 'Sign in to the token settings' }).waitFor();
    await checkPage(adminPage, 'sign-in');
    await picture(adminPage, 'token-settings-sign-in');

    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuedAt(Math.floor((Date.now() - 2 * 3_600_000) / 1000))
      .setExpirationTime('1 hour ago')
      .sign(new TextEncoder().encode(service.service.jwtSecret!));
    await adminPage.getByLabel('Sign-in token').fill(`Authorization: Bearer ${expired}`);
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await describedAs(adminPage.getByLabel('Sign-in token'), /expired/);
    await adminPage.getByText('npm run session -- --sub alice', { exact: true }).waitFor();

    // A sign-in token the service refuses (signed with another secret) is explained the same way.
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(40)));
    await adminPage.getByLabel('Sign-in token').fill(`Bearer ${foreign}`);
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await adminPage.getByText('npm run session -- --sub mallory', { exact: true }).waitFor();
    await checkPage(adminPage, 'sign-in with a problem');

    await signIn(adminPage, `Authorization: ${admin.authorization}`);
    expect(await adminPage.evaluate(() => [sessionStorage.length, sessionStorage.key(0)])).toEqual([1, 'tessera.signIn']);
    expect(await adminPage.evaluate(() => localStorage.length)).toBe(0);
  });

  it('lets the admin turn personal access tokens on, saying what it does to existing ones', async () => {
    await adminPage.getByRole('link', { name: 'Admin' }).click();
    await adminPage.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    await adminPage.getByRole('button', { name: 'Turn on personal access tokens' }).click();
    expect(await confirmDialog(adminPage, 'Turn on')).toBe('Turn personal access tokens on?');
    await adminPage.getByRole('status').filter({ hasText: 'Personal access tokens are on.' }).waitFor();
    await adminPage.getByText(/Turning it off suspends every existing personal access token/).waitFor();
    const { features } = await service.ok('{ features { feature enabled } }', {}, admin.authorization);
    expect(features).toEqual([{ feature: 'PERSONAL_ACCESS_TOKENS', enabled: true }]);
    await checkPage(adminPage, 'admin settings');
    await picture(adminPage, 'token-settings-admin-settings');
  });

  it('lets a user generate a PAT through the scope picker and copy it; the copied secret works against authorize', async () => {
    alicePage = await openPage();
    await signIn(alicePage, alice.authorization);
    await alicePage.getByRole('button', { name: 'Generate new token' }).click();
    const form = alicePage.locator('form.create-token');
    await form.getByLabel('Name', { exact: true }).waitFor();

    // Submitting an empty form explains each missing field next to it.
    await form.getByRole('button', { name: 'Generate token' }).click();
    await describedAs(form.getByLabel('Name', { exact: true }), /^Give the token a name, e\.g\. what uses it\.$/);
    await form.getByText('Choose at least one scope.').waitFor();

    await form.getByLabel('Name', { exact: true }).fill('ci-deploy');
    await form.getByRole('radio', { name: '60 days' }).check();
    // Alice holds VIEWER only: a scope needing more says why she could not use it today.
    await describedAs(form.getByRole('checkbox', { name: /Write settings/ }), /needs the Manage settings permission/);
    await form.getByLabel('Find a scope').fill('metrics');
    await form.getByRole('checkbox', { name: /Read metrics/ }).check();
    await form.getByLabel('Find a scope').fill('');
    await form.getByRole('checkbox', { name: /Read settings/ }).check();
    await checkPage(alicePage, 'generate a token');
    await picture(alicePage, 'token-settings-generate', 1400);
    await form.getByRole('button', { name: 'Generate token' }).click();

    const box = alicePage.locator('.secret-box');
    await box.getByText('you will not see it again').waitFor();
    await box.getByRole('button', { name: 'Copy' }).click();
    await box.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    secret = await alicePage.evaluate(() => navigator.clipboard.readText());
    expect(secret).toMatch(TOKEN);
    expect(await box.getByLabel('The new token').inputValue()).toBe(secret);
    await checkPage(alicePage, 'one-time secret');

    const answer = await authorize(secret);
    expect(answer.data).toEqual({ authorize: { allowed: true, reason: null } });

    // Leaving while the secret shows asks first; staying keeps it.
    await alicePage.getByRole('button', { name: 'Sign out' }).click();
    expect(await confirmDialog(alicePage, 'Stay and copy it')).toBe('Leave without the token?');
    await box.getByLabel('The new token').waitFor();
    await alicePage.evaluate(() => (location.hash = '#/admin/settings'));
    expect(await confirmDialog(alicePage, 'Stay and copy it')).toBe('Leave without the token?');
    expect(await alicePage.evaluate(() => location.hash)).toBe('#/tokens');
    await box.getByLabel('The new token').waitFor();

    // The picture shows a placeholder, not even a throwaway secret.
    await box.getByLabel('The new token').evaluate((input) => ((input as unknown as { value: string }).value = 'dt0c01.ST2EY72KQINMH574WMNVI7YN.••••••••••••••••••••••••••••••••••••••••'));
    await picture(alicePage, 'token-settings-one-time-secret');
    await box.getByRole('button', { name: 'Done, I have copied it' }).click();
    await box.waitFor({ state: 'detached' });

    const listed = row(alicePage, 'ci-deploy');
    await listed.getByText('Active', { exact: true }).waitFor();
    await listed.getByText('metrics.read', { exact: true }).waitFor();
    await listed.getByText(/in 2 months|in 59 days|in 60 days/).waitFor();
  });

  it('shows what the token really can do, and rotates it with a grace period, showing the new secret once', async () => {
    const listed = row(alicePage, 'ci-deploy');
    await listed.getByRole('button', { name: 'What can it do?' }).click();
    await alicePage.getByText('Allowed in the whole environment').first().waitFor();
    await alicePage.locator('.access li.denied').filter({ hasText: 'settings.read' }).waitFor({ state: 'detached' }).catch(() => undefined);

    await listed.getByRole('button', { name: 'Rotate' }).click();
    const dialog = alicePage.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'After 1 hour' }).check();
    await checkPage(alicePage, 'rotate dialog');
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const box = alicePage.locator('.secret-box');
    await box.getByRole('heading', { name: 'New secret for “ci-deploy”' }).waitFor();
    rotatedSecret = await box.getByLabel('The new token').inputValue();
    expect(rotatedSecret).toMatch(TOKEN);
    expect(rotatedSecret).not.toBe(secret);
    expect(rotatedSecret.slice(0, 31)).toBe(secret.slice(0, 31));
    expect((await authorize(rotatedSecret)).data.authorize.allowed).toBe(true);
    // Within the grace period the old secret still works.
    expect((await authorize(secret)).data.authorize.allowed).toBe(true);

    // Closing without copying asks first.
    await box.getByRole('button', { name: 'Done, I have copied it' }).click();
    expect(await confirmDialog(alicePage, 'Close anyway')).toBe('Close without copying the token?');
    await box.waitFor({ state: 'detached' });
  });

  it('disables, enables and, after confirming, revokes the token', async () => {
    const listed = row(alicePage, 'ci-deploy');
    await listed.getByRole('button', { name: 'Disable' }).click();
    await listed.getByText('Disabled', { exact: true }).waitFor();
    expect((await authorize(rotatedSecret)).status).toBe(401);
    await listed.getByRole('button', { name: 'Enable' }).click();
    await listed.getByText('Active', { exact: true }).waitFor();
    expect((await authorize(rotatedSecret)).data.authorize.allowed).toBe(true);

    await listed.getByRole('button', { name: 'Revoke' }).click();
    expect(await confirmDialog(alicePage, 'Cancel')).toBe('Revoke “ci-deploy”?');
    await listed.getByText('Active', { exact: true }).waitFor();
    await listed.getByRole('button', { name: 'Revoke' }).click();
    await confirmDialog(alicePage, 'Revoke');
    await listed.getByText('Revoked', { exact: true }).waitFor();
    // Revoked is final: only deletion is left.
    expect(await listed.getByRole('group', { name: 'Actions for ci-deploy' }).getByRole('button').allInnerTexts()).toEqual(['Hide access', 'Delete']);
    expect((await authorize(rotatedSecret)).status).toBe(401);
  });

  it('lists the user\'s tokens with soon-to-expire ones highlighted, at desktop and phone width', async () => {
    await service.createPat(alice, ['metrics.read'], { name: 'nightly-report', expirationDate: new Date(Date.now() + 3 * DAY).toISOString() });
    await service.createPat(alice, ['events.ingest', 'entities.read'], { name: 'grafana', expirationDate: new Date(Date.now() + 80 * DAY).toISOString() });
    await alicePage.reload();
    const soon = row(alicePage, 'nightly-report');
    await soon.getByText('Expires soon: in 3 days').waitFor();
    expect(await soon.getAttribute('class')).toBe('soon');
    expect(await row(alicePage, 'grafana').getAttribute('class')).toBeNull();
    await checkPage(alicePage, 'my tokens');
    await picture(alicePage, 'token-settings-my-tokens');

    await alicePage.setViewportSize({ width: 390, height: 844 });
    await alicePage.getByRole('button', { name: 'Generate new token' }).waitFor();
    const { scrollWidth, clientWidth } = await alicePage.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await checkPage(alicePage, 'my tokens on a phone');
    await picture(alicePage, 'token-settings-phone');
    await alicePage.setViewportSize({ width: 1280, height: 900 });
  });

  it('is usable from the keyboard: the skip link, the form, and Escape out of a dialog', async () => {
    await alicePage.reload();
    await alicePage.getByRole('heading', { name: 'My tokens', level: 1 }).waitFor();
    await alicePage.keyboard.press('Tab');
    await focused(alicePage.getByRole('link', { name: 'Skip to the content' }));
    await alicePage.keyboard.press('Enter');
    await focused(alicePage.locator('main'));
    await alicePage.keyboard.press('Tab');
    await focused(alicePage.getByRole('button', { name: 'Generate new token' }));
    await alicePage.keyboard.press('Enter');
    await alicePage.getByLabel('Name', { exact: true }).waitFor();
    await alicePage.keyboard.press('Tab');
    await focused(alicePage.getByLabel('Name', { exact: true }));
    await alicePage.keyboard.type('from-the-keyboard');
    await alicePage.getByRole('button', { name: 'Cancel' }).focus();
    await alicePage.keyboard.press('Enter');
    await alicePage.getByLabel('Name', { exact: true }).waitFor({ state: 'detached' });

    await row(alicePage, 'grafana').getByRole('button', { name: 'Revoke' }).focus();
    await alicePage.keyboard.press('Enter');
    const dialog = alicePage.getByRole('dialog');
    await dialog.waitFor();
    // Focus moves into the dialog, on its safe choice.
    await focused(dialog.getByRole('button', { name: 'Cancel' }));
    await alicePage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row(alicePage, 'grafana').getByText('Active', { exact: true }).waitFor();
  });

  it('keeps a user who is not an admin out of the admin pages, saying why', async () => {
    for (const section of ['settings', 'api-tokens', 'inventory', 'users', 'groups']) {
      await alicePage.evaluate((hash) => (location.hash = hash), `#/admin/${section}`);
      await alicePage.getByText('These pages are for administrators (the ADMIN permission, environment-wide). You do not hold it.').waitFor();
      expect(await alicePage.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    }
    await alicePage.getByRole('link', { name: 'Go to your tokens' }).click();
    await row(alicePage, 'grafana').waitFor();
  });

  it('never offers the admin the rotation of another user\'s PAT, and an admin\'s disable is lifted only by an admin', async () => {
    await adminPage.getByRole('link', { name: 'Token inventory' }).click();
    const grafana = row(adminPage, 'grafana');
    await grafana.waitFor();
    expect(await grafana.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    await grafana.getByRole('button', { name: 'Disable' }).waitFor();
    await grafana.getByRole('button', { name: 'Disable' }).click();
    await grafana.getByText('Disabled', { exact: true }).waitFor();

    await grafana.getByText('Disabled by an administrator').waitFor();

    await alicePage.reload();
    const mine = row(alicePage, 'grafana');
    await mine.getByText('Disabled by an administrator').waitFor();
    await mine.getByText('only an administrator can enable it again').waitFor();
    expect(await mine.getByRole('button', { name: 'Enable' }).count()).toBe(0);
    await mine.getByRole('button', { name: 'Rotate' }).waitFor();

    await grafana.getByRole('button', { name: 'Enable' }).click();
    await grafana.getByText('Active', { exact: true }).waitFor();

    // The owner's own disable is the owner's to lift: the admin sees who did it, and no Enable.
    await alicePage.reload();
    await mine.getByRole('button', { name: 'Disable' }).click();
    await mine.getByText('Disabled by you').waitFor();
    await adminPage.reload();
    await grafana.getByText('Disabled by its owner').waitFor();
    await grafana.getByText('only its owner can enable it again').waitFor();
    expect(await grafana.getByRole('button', { name: 'Enable' }).count()).toBe(0);
    await grafana.getByRole('button', { name: 'Revoke' }).waitFor();
    await mine.getByRole('button', { name: 'Enable' }).click();
    await mine.getByText('Active', { exact: true }).waitFor();
  });

  it('shows the service\'s refusal next to the action when another tab changed the token meanwhile, then what the token is now', async () => {
    // The admin's inventory was loaded while alice's token was active; alice then disables it herself.
    await adminPage.reload();
    const grafana = row(adminPage, 'grafana');
    await grafana.getByRole('button', { name: 'Disable' }).waitFor();
    const mine = row(alicePage, 'grafana');
    await mine.getByRole('button', { name: 'Disable' }).click();
    await mine.getByRole('button', { name: 'Enable' }).waitFor();

    // The admin's page still offers Disable: disabling makes it an administrator's disable.
    await grafana.getByRole('button', { name: 'Disable' }).click();
    await grafana.getByText('Disabled by an administrator').waitFor();

    // Alice's page still offers Enable; the service refuses, and the row says so in words.
    const answer = alicePage.waitForResponse((response) => new URL(response.url()).pathname === '/graphql' && /SetAccessTokenEnabled/.test(response.request().postData() ?? ''));
    await mine.getByRole('button', { name: 'Enable' }).click();
    const body = await (await answer).json();
    expect(body.errors.map((error: { extensions: { code: string; field?: string } }) => error.extensions)).toEqual([{ code: 'FORBIDDEN', field: 'enabled' }]);
    await mine.getByRole('alert').getByText('You are not allowed to do this: an administrator disabled this token; only an administrator can enable it.').waitFor();
    // The list reloaded: the row now tells who disabled it and offers Enable no more.
    await mine.getByText('Disabled by an administrator').waitFor();
    await until('Enable is no longer offered to alice', async () => (await mine.getByRole('button', { name: 'Enable' }).count()) === 0);
    const { accessToken } = await service.ok('query($id: ID!) { accessToken(id: $id) { enabled disabledByAdministrator } }', { id: await mine.locator('.token-id').innerText() }, admin.authorization);
    expect(accessToken).toEqual({ enabled: false, disabledByAdministrator: true });
    await checkPage(alicePage, 'my tokens with a refusal');

    await grafana.getByRole('button', { name: 'Enable' }).click();
    await grafana.getByText('Active', { exact: true }).waitFor();
  });

  it('creates a classic API token with the same one-time box, and offers its rotation to the admin', async () => {
    await adminPage.getByRole('link', { name: 'Classic API tokens' }).click();
    await adminPage.getByRole('button', { name: 'Create API token' }).click();
    const form = adminPage.locator('form.create-token');
    await form.getByLabel('Name', { exact: true }).fill('monitoring-export');
    await form.getByRole('radio', { name: '90 days' }).check();
    await form.getByRole('checkbox', { name: /Read metrics/ }).check();
    // Classic tokens are not checked against anyone's permissions: no usability warnings.
    expect(await form.locator('.scope-reason').count()).toBe(0);
    await form.getByRole('button', { name: 'Create token' }).click();
    const box = adminPage.locator('.secret-box');
    await box.getByRole('button', { name: 'Copy' }).click();
    await box.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    const copied = await adminPage.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(TOKEN);
    expect((await authorize(copied)).data.authorize).toEqual({ allowed: true, reason: null });
    await box.getByRole('button', { name: 'Done, I have copied it' }).click();
    await row(adminPage, 'monitoring-export').getByRole('button', { name: 'Rotate' }).waitFor();
    await checkPage(adminPage, 'classic API tokens');
    await picture(adminPage, 'token-settings-admin-api-tokens');
  });

  it('bulk-revokes by filter after showing how many tokens it will revoke', async () => {
    const doomed = [];
    for (const name of ['build-1', 'build-2', 'build-3']) doomed.push(await service.createPat(bob, ['metrics.read'], { name }));
    const kept = await service.createPat(bob, ['metrics.read'], { name: 'laptop' });

    await adminPage.getByRole('link', { name: 'Token inventory' }).click();
    const filters = adminPage.getByRole('form', { name: 'Filter the tokens' });
    expect(await adminPage.getByRole('button', { name: 'Revoke all matching…' }).isDisabled()).toBe(true);
    await filters.getByLabel('Owner').selectOption({ label: 'bob' });
    await filters.getByLabel('Name contains').fill('build-');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await adminPage.getByText('3 tokens match').waitFor();
    await adminPage.getByLabel('Sort by').selectOption({ label: 'Name Z–A' });
    const names = adminPage.locator('table.tokens tbody .token-name');
    await until('the list is sorted by name, descending', async () => (await names.allInnerTexts()).join() === 'build-3,build-2,build-1');
    await checkPage(adminPage, 'token inventory');
    await picture(adminPage, 'token-settings-admin-inventory');

    await adminPage.getByRole('button', { name: 'Revoke all matching…' }).click();
    expect(await confirmDialog(adminPage, 'Revoke 3 tokens')).toBe('Revoke 3 tokens?');
    await adminPage.getByRole('status').filter({ hasText: '3 tokens revoked.' }).waitFor();
    for (const token of doomed) expect((await service.token(token.id, admin.authorization)).status).toBe('REVOKED');
    expect((await service.token(kept.id, admin.authorization)).status).toBe('ACTIVE');

    // Nothing is left to revoke: the count says so instead of asking.
    await adminPage.getByRole('button', { name: 'Revoke all matching…' }).click();
    await adminPage.getByText('No token matching these filters is left to revoke.').waitFor();
  });

  it('deactivates and reactivates a user, whose PATs are suspended meanwhile', async () => {
    await adminPage.getByRole('link', { name: 'Users' }).click();
    const bobRow = adminPage.getByRole('row').filter({ hasText: 'bob@example.com' });
    await adminPage.getByRole('row').filter({ hasText: 'admin' }).first().getByText('You').waitFor();
    await bobRow.getByRole('button', { name: 'Deactivate' }).click();
    expect(await confirmDialog(adminPage, 'Deactivate')).toBe('Deactivate bob?');
    await bobRow.getByText('Deactivated', { exact: true }).waitFor();
    const { accessTokens } = await service.ok(
      'query($owner: ID!) { accessTokens(filter: { ownerId: $owner, nameContains: "laptop" }) { nodes { status } } }',
      { owner: bob.userId },
      admin.authorization,
    );
    expect(accessTokens.nodes).toEqual([{ status: 'SUSPENDED' }]);
    await checkPage(adminPage, 'users');
    await picture(adminPage, 'token-settings-admin-users');
    await bobRow.getByRole('button', { name: 'Reactivate' }).click();
    await bobRow.getByText('Active', { exact: true }).waitFor();
  });

  it('creates a management zone and a group granting a permission in it, and adds a member', async () => {
    await adminPage.getByRole('link', { name: 'Groups and zones' }).click();
    await adminPage.getByLabel('New zone name').fill('production');
    await adminPage.getByRole('button', { name: 'Create zone' }).click();
    await adminPage.getByText('Management zone production created.').waitFor();

    const create = adminPage.locator('form').filter({ has: adminPage.getByRole('heading', { name: 'Create a group' }) });
    await create.getByLabel('Group name').fill('prod-operators');
    await create.getByLabel('Permission 1', { exact: true }).selectOption('MANAGE_SETTINGS');
    await create.getByLabel('Where permission 1 applies').selectOption({ label: 'In production' });
    await create.getByRole('button', { name: 'Create group' }).click();
    const group = adminPage.locator('article').filter({ has: adminPage.getByRole('heading', { name: 'prod-operators' }) });
    await group.getByText('Manage settings in production').waitFor();
    await group.getByLabel('Add a member').selectOption({ label: 'bob' });
    await group.getByRole('button', { name: 'Add', exact: true }).click();
    await group.getByRole('listitem').filter({ hasText: 'bob' }).waitFor();

    // A second group of the same name is refused next to the name.
    await create.getByLabel('Group name').fill('prod-operators');
    await create.getByRole('button', { name: 'Create group' }).click();
    await describedAs(create.getByLabel('Group name'), /A group named "prod-operators" exists/);

    const { me } = await service.ok('{ me { permissions { permission managementZone { name } } } }', {}, bob.authorization);
    expect(me.permissions).toEqual([{ permission: 'MANAGE_SETTINGS', managementZone: { name: 'production' } }]);
    await checkPage(adminPage, 'groups and zones');
    await picture(adminPage, 'token-settings-admin-groups');
  });

  it('signs a user out when the service stops accepting the sign-in, and says how to get a new one', async () => {
    await service.ok('mutation($id: ID!) { deactivateUser(id: $id) { active } }', { id: alice.userId }, admin.authorization);
    await alicePage.reload();
    await alicePage.getByRole('heading', { name: 'Sign in to the token settings' }).waitFor();
    await alicePage.getByRole('alert').getByText('npm run session -- --sub alice').waitFor();
    expect(await alicePage.evaluate(() => sessionStorage.length)).toBe(0);
    await checkPage(alicePage, 'signed out');
  });

  it('drops a kept sign-in that expired meanwhile and says so, naming the user in the command', async () => {
    const page = await openPage();
    const shortLived = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('carol')
      .setIssuedAt()
      .setExpirationTime('3s')
      .sign(new TextEncoder().encode(service.service.jwtSecret!));
    await signIn(page, `Bearer ${shortLived}`);
    await sleep(3500);
    await page.reload();
    await page.getByRole('alert').getByText('npm run session -- --sub carol').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });
});
