import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeAccessRule } from '../../src/graphql/access-rule-docs';
import { accessRuleOf } from '../../src/graphql/access-rules';
import { buildDocumentedSchema } from '../../src/app/schema';
import scopesCatalog from '../fixtures/scopes.json';
import { describeInBrowser, launchChromium } from '../helpers/browser';
import { TestService } from '../helpers/service';

/** GraphiQL as a person uses it: Chromium, headless, driven by playwright-core. */
const SCREENSHOT = join(__dirname, '../../docs/graphiql.png');
// The Variables and Headers editors share one panel; the one not shown is marked hidden.
const HEADERS_EDITOR = 'section[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror';
const RESULT_EDITOR = '.result-window .CodeMirror';
/** The page's document, for the functions that run in the browser (the project's types have no DOM). */
declare const document: { querySelector(selector: string): unknown; addEventListener(type: string, listener: (event: any) => void): void };
declare const window: { cspViolations: string[] };
declare const localStorage: { length: number; key(index: number): string | null; getItem(key: string): string | null };

/** Everything the page keeps in localStorage, as key → value. */
function storedItems(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const items: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i)!;
      items[key] = localStorage.getItem(key)!;
    }
    return items;
  });
}

/** The text of one of GraphiQL's CodeMirror 5 editors, read through the editor itself (it renders only the visible lines). */
function editorText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

function setEditorText(page: Page, selector: string, text: string): Promise<void> {
  return page.$eval(
    selector,
    (element, value) => (element as unknown as { CodeMirror: { setValue(text: string): void } }).CodeMirror.setValue(value),
    text,
  );
}

describeInBrowser('GraphiQL in a browser', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    service = await TestService.start();
    // launch() gives every run a fresh, temporary user-data-dir, so no stored headers or tabs carry over.
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Every Content-Security-Policy violation the page meets, as the browser reports it, and every console error.
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample ?? ''}`);
      });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  const consoleErrors: string[] = [];
  const cspViolations = () => page.evaluate(() => window.cspViolations);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('runs a query with the headers set in its Headers editor and shows the 41 scopes', async () => {
    const outsideRequests: string[] = [];
    const origin = new URL(service.url).origin;
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) outsideRequests.push(request.url());
    });
    const response = await page.goto(service.url);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers).toEqual(
      expect.objectContaining({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' }),
    );

    const admin = await service.admin();
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.waitForSelector(HEADERS_EDITOR);
    await setEditorText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: admin.authorization }));
    await setEditorText(page, '.graphiql-query-editor .CodeMirror', '{ scopes { value } }');
    await page.locator('.graphiql-execute-button').click();

    await page.waitForFunction((selector) => {
      const result = document.querySelector(selector) as { CodeMirror: { getValue(): string } } | null;
      return Boolean(result?.CodeMirror.getValue().includes('"data"'));
    }, RESULT_EDITOR);
    const answer = JSON.parse(await editorText(page, RESULT_EDITOR));
    const values = (answer.data.scopes as { value: string }[]).map((scope) => scope.value);
    expect(values).toHaveLength(41);
    expect(values.sort()).toEqual(scopesCatalog.map((scope: { value: string }) => scope.value).sort());
    // Everything the page loaded came from the service itself: it works with no internet access.
    expect(outsideRequests).toEqual([]);
    // It did all that under its Content-Security-Policy, which it never had to break.
    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The sign-in token in the Headers editor was sent, and kept nowhere: the user did not opt in.
    await page.waitForFunction(() => localStorage.getItem('graphiql:tabState') !== null);
    const stored = await storedItems(page);
    expect(Object.keys(stored)).toEqual(expect.arrayContaining(['graphiql:queries', 'graphiql:tabState']));
    const jwt = admin.authorization.replace(/^Bearer /, '');
    expect(JSON.stringify(stored)).not.toContain(jwt);
  });

  it('keeps header values in localStorage only once the user turns "Persist headers" on, and forgets them when it is turned off', async () => {
    const admin = await service.admin();
    const jwt = admin.authorization.replace(/^Bearer /, '');
    const holdsJwt = async () => JSON.stringify(await storedItems(page)).includes(jwt);
    const setPersistence = async (on: boolean) => {
      await page.getByRole('button', { name: 'Open settings dialog' }).click();
      await page.locator(on ? '#enable-persist-headers' : '#disable-persist-headers').click();
      await page.keyboard.press('Escape');
      await page.locator('.graphiql-dialog').waitFor({ state: 'detached' });
    };

    await page.reload();
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.waitForSelector(HEADERS_EDITOR);
    // A reload after a session without opting in brings no header back.
    expect(await editorText(page, HEADERS_EDITOR)).not.toContain(jwt);
    await setPersistence(true);
    await setEditorText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: admin.authorization }));
    await page.waitForFunction((token) => JSON.stringify(Object.values({ ...localStorage })).includes(token), jwt);
    expect(await holdsJwt()).toBe(true);

    await page.reload();
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.waitForSelector(HEADERS_EDITOR);
    expect(await editorText(page, HEADERS_EDITOR)).toContain(jwt);

    await setPersistence(false);
    await setEditorText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: admin.authorization, 'x-edited': '1' }));
    await page.waitForTimeout(600);
    expect(await holdsJwt()).toBe(false);
    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('clears the header values an earlier page kept without asking', async () => {
    const admin = await service.admin();
    const jwt = admin.authorization.replace(/^Bearer /, '');
    await page.evaluate((authorization) => {
      const headers = JSON.stringify({ Authorization: authorization });
      const storage = localStorage as unknown as { setItem(key: string, value: string): void };
      storage.setItem('graphiql:shouldPersistHeaders', 'true');
      storage.setItem('graphiql:headers', headers);
      storage.setItem('graphiql:tabState', JSON.stringify({ activeTabIndex: 0, tabs: [{ id: 'a', hash: 'a', title: 'a', query: '{ me { id } }', variables: null, headers, operationName: null, response: null }] }));
    }, admin.authorization);
    await page.reload();
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    expect(JSON.stringify(await storedItems(page))).not.toContain(jwt);
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.waitForSelector(HEADERS_EDITOR);
    expect(await editorText(page, HEADERS_EDITOR)).not.toContain(jwt);
  });

  it('shows each field\'s access rule in the Docs explorer', async () => {
    const schema = await buildDocumentedSchema();
    const rule = accessRuleOf(schema, schema.getQueryType()!.getFields().accessTokens);
    expect(rule).toEqual(expect.objectContaining({ scope: 'apiTokens.read' }));

    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByRole('link', { name: 'Query', exact: true }).click();
    const accessTokens = docs
      .locator('.graphiql-doc-explorer-item')
      .filter({ has: page.locator('.graphiql-doc-explorer-field-name', { hasText: /^accessTokens$/ }) });
    await accessTokens.getByText(describeAccessRule(rule!)).waitFor({ state: 'visible' });

    // The picture for the README: the real sign-in token in the Headers editor gives way to the placeholder the README uses.
    await setEditorText(page, HEADERS_EDITOR, '{ "Authorization": "Bearer eyJhbGciOiJIUzI1NiIs…" }');
    const picture = await page.screenshot();
    expect(picture.subarray(1, 4).toString()).toBe('PNG');
    // Written only on request (UPDATE_SCREENSHOT=1 npm test): its bytes differ from run to run.
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await writeFile(SCREENSHOT, picture);
    }
  });
});
