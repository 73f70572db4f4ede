import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import scopesCatalog from '../fixtures/scopes.json';
import { describeAccessRule } from '../../src/graphql/access-rule-docs';
import { accessRuleOf } from '../../src/graphql/access-rules';
import { buildDocumentedSchema } from '../../src/graphql/schema';
import { TestService } from '../helpers/service';

/**
 * GraphiQL as a person uses it: Debian's Chromium, headless, driven by playwright-core (which
 * never downloads a browser). Without /usr/bin/chromium the test skips, except in CI, where
 * .ci/run installs it and a missing browser must fail the run.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '../../docs/graphiql.png');
const available = existsSync(CHROMIUM) || Boolean(process.env.CI);
const describeInBrowser = available ? describe : describe.skip;
const SKIPPED = `GraphiQL browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium); in CI it runs and fails instead`;
// Straight to stderr: Jest does not show the console output of a file whose tests were all skipped.
if (!available) process.stderr.write(`\n${SKIPPED}\n`);
// The Variables and Headers editors share one panel; the one not shown is marked hidden.
const HEADERS_EDITOR = 'section[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror';
const RESULT_EDITOR = '.result-window .CodeMirror';
/** The page's document, for the functions that run in the browser (the project's types have no DOM). */
declare const document: { querySelector(selector: string): unknown };
const title = available ? 'GraphiQL in a browser' : `GraphiQL in a browser (${SKIPPED})`;

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

describeInBrowser(title, () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    service = await TestService.start();
    // launch() gives every run a fresh, temporary user-data-dir, so no stored headers or tabs carry over.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

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
    await page.goto(service.url);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');

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
