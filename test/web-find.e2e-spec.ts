/**
 * The web page loads a topic from GET /api/topics/{t}/feed: a handful of requests whatever the
 * number of actors (was one events-feed request per actor, plus timelines and voices).
 */
import type { Request } from 'playwright-core';
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, openBrowser, startWebService, waitForPage } from './support/browser';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

const TOPIC = 'russia-sanctions-relief';
const OTHER = 'russia-sanctions-effect';

jest.setTimeout(PROCESS_TEST_MS);

describeInBrowser('web page: a topic in at most 3 requests', () => {
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

  it('switching to a topic asks the API at most 3 times, and draws it with its voices', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-26`);
    await waitForPage(page);
    const asked: string[] = [];
    const count = (request: Request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) asked.push(request.url());
    };
    page.on('request', count);
    await page.selectOption('#topic', OTHER);
    await page.waitForFunction((topic) => new URL((globalThis as any).location.href).searchParams.get('topic') === topic, OTHER);
    await waitForPage(page);
    await page.waitForSelector('#landscape[aria-busy="false"]');
    page.off('request', count);
    expect(asked.length).toBeLessThanOrEqual(3);
    expect(asked.some((url) => url.includes(`/api/topics/${OTHER}/feed`))).toBe(true);
    expect(asked.filter((url) => url.includes('/api/events') || url.includes('/timeline') || url.includes('/voice/'))).toEqual([]);
    expect(await page.locator('#landscape tr[data-actor="vladimir-putin"]').innerText()).toContain('strengthened');
  });

  it('loading a topic by its URL shows the organizations\' voices from the feed', async () => {
    const { page } = session;
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) asked.push(new URL(request.url()).pathname);
    });
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-26`);
    await waitForPage(page);
    await page.waitForSelector('#landscape[aria-busy="false"]');
    // The topics and actors lists, then the topic: its feed and the landscape at the cursor.
    expect(asked.filter((path) => path !== '/api/topics' && path !== '/api/actors').length).toBeLessThanOrEqual(3);
    expect(await page.locator('#landscape tr[data-voice="us-government"]').innerText()).toContain('concessions-needed');
    expect(session.problems).toEqual([]);
  });
});
