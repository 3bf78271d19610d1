import { SEED_ARTICLE } from '@positions/testing';
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { KEYS } from './support/app-harness';
import { type BrowserSession, describeInBrowser, ensureWebBuilt, openBrowser, startWebService, type WebService } from './support/browser';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

/* The intake page (apps/web/intake.html): an article in, its candidates highlighted and reviewed, accepted or rejected. */

jest.setTimeout(PROCESS_TEST_MS);

describeInBrowser('the intake page', () => {
  let service: WebService;
  let session: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService();
    session = await openBrowser();
  }, BUILD_AND_START_MS);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  const candidateWith = (words: string): Locator => session.page.locator('#candidates > li').filter({ hasText: words });

  async function readArticle(text: string, html = false): Promise<void> {
    const { page } = session;
    await page.goto(`${service.url}/intake.html`);
    await page.fill('#api-key', KEYS.recorder);
    await page.dispatchEvent('#api-key', 'change');
    await page.fill('#article-text', text);
    await page.setChecked('#is-html', html);
    await page.fill('#published-on', '2025-02-26');
    await page.fill('#source-title', html ? '' : 'US and allies weigh sanctions relief');
    await page.click('#find');
    await page.waitForSelector('#candidates > li');
  }

  it('is reached from the chart page by its link', async () => {
    const { page } = session;
    await page.goto(`${service.url}/`);
    await page.getByRole('link', { name: 'Record statements from an article' }).click();
    await page.waitForURL(`${service.url}/intake.html`);
    await page.waitForSelector('#article-text');
  });

  it('highlights the candidates of the seed report and suggests Rubio and "last week" for his quote', async () => {
    await readArticle(SEED_ARTICLE.text);
    const { page } = session;
    await expect(page.locator('#draft-text mark.words').filter({ hasText: 'there has to be concessions made by all sides' }).count()).resolves.toBe(1);
    const rubio = candidateWith('there has to be concessions made by all sides');
    await expect(rubio.locator('select[id$="-speaker"]').inputValue()).resolves.toBe('marco-rubio');
    await expect(rubio.locator('input[id$="-stated-on"]').inputValue()).resolves.toBe('2025-02-17/2025-02-23');
    await expect(rubio.locator('input[id$="-wording"]').inputValue()).resolves.toBe('last week');
    await session.screenshot('intake-seed-article');
    expect(session.problems).toEqual([]);
  });

  it('accepts an edited candidate (recorded with its provenance) and rejects another with a reason', async () => {
    await readArticle(SEED_ARTICLE.text);
    const rubio = candidateWith('there has to be concessions made by all sides');
    await rubio.locator('select[id$="-topic"]').selectOption('russia-sanctions-relief');
    await rubio.locator('select[id$="-stance"]').selectOption('concessions-needed');
    await rubio.locator('input[id$="-summary"]').fill('All sides must make concessions, sanctions included');
    await rubio.getByRole('button', { name: 'Accept and record' }).click();
    await rubio.locator('p[role="status"]').filter({ hasText: /Recorded as statement|Not done/ }).waitFor();
    expect(await rubio.locator('p[role="status"]').textContent()).toMatch(/^Recorded as statement/);
    const statementId = /statement ([0-9a-f-]{36})/.exec((await rubio.textContent()) ?? '')?.[1];
    const statement = await service.get(`/api/statements/${statementId}`);
    expect(statement).toMatchObject({ actorId: 'marco-rubio', summary: 'All sides must make concessions, sanctions included', statedOn: '2025-02-17/2025-02-23', intake: { candidateId: expect.any(String) } });

    const putin = candidateWith('stimulating role');
    await putin.locator('input[id$="-reason"]').fill('already recorded from the sample');
    await putin.getByRole('button', { name: 'Reject' }).click();
    await putin.getByText('Rejected: already recorded from the sample').waitFor();
    await expect(putin.getByRole('button', { name: 'Accept and record' }).isDisabled()).resolves.toBe(true);
    expect(session.problems).toEqual([]);
  });

  it('shows a refusal from the API next to the candidate, and records nothing', async () => {
    await readArticle('Protesters carried banners reading “Sanctions hurt ordinary people, not the oligarchs.”');
    const [nobody] = await session.page.locator('#candidates > li').all();
    await nobody.getByRole('button', { name: 'Accept and record' }).click();
    await nobody.getByText(/Not done: .*actorId/).waitFor();
    await expect(nobody.getByRole('button', { name: 'Accept and record' }).isDisabled()).resolves.toBe(false);
  });

  it('reads an HTML page without running its scripts or showing its markup', async () => {
    const html = '<html><head><title>Sanctions</title><script>window.intakeScriptRan = 1</script></head><body><article><p>“We are not going to lift anything,” Trump said on Tuesday.</p><img src=x onerror="window.intakeScriptRan = 2"></article></body></html>';
    await readArticle(html, true);
    const { page } = session;
    await expect(page.locator('#draft-text').textContent()).resolves.toBe('“We are not going to lift anything,” Trump said on Tuesday.');
    await expect(page.locator('#draft-text script, #draft-text img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (globalThis as unknown as { intakeScriptRan?: number }).intakeScriptRan)).resolves.toBeUndefined();
  });

  it('asks for a title or an address before reading a text, since every statement cites it', async () => {
    const { page } = session;
    await page.goto(`${service.url}/intake.html`);
    await page.fill('#article-text', SEED_ARTICLE.text);
    await page.click('#find');
    await page.locator('#form-status').filter({ hasText: 'title or address' }).waitFor();
    await expect(page.locator('#candidates > li').count()).resolves.toBe(0);
  });

  it('has no accessibility violations that axe-core finds', async () => {
    await readArticle(SEED_ARTICLE.text);
    const { page } = session;
    // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not apply to.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });
});
