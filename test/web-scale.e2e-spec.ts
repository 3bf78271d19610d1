/**
 * The web page on a record of real size: 200 actors and 2,000 statements over three years on one topic, with
 * corrections and retractions. A load takes at most three requests, the page stays usable on a phone, axe-core finds
 * no serious or critical violation, bad links give a message, and a pinned link shows the same view later.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, openBrowser, ROOT, startWebService, waitForPage } from './support/browser';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

jest.setTimeout(PROCESS_TEST_MS * 2);

const TOPIC = 'military-aid';
const CODES = ['full-aid', 'more-aid', 'hold', 'less-aid', 'no-aid'];

/** A deterministic generator: the same record on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Runs `work` over `items`, a few at a time (the service is in this process; more would only queue). */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** 20 organizations (10 governments), 180 people (120 affiliated, most speaking for their organization), 2,000 statements. */
async function loadBigRecord(service: WebService): Promise<{ retractedVague: string }> {
  const rnd = random(42);
  const post = async (path: string, body: unknown) => {
    const answer = await service.post(path, body, 'admin');
    if (answer.status >= 300) throw new Error(`${path} ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const orgs = Array.from({ length: 20 }, (_, i) => `org-${String(i).padStart(2, '0')}`);
  const people = Array.from({ length: 180 }, (_, i) => `person-${String(i).padStart(3, '0')}`);
  await eachLimited(orgs, 4, async (id) => {
    await post('/api/actors', { id, name: `Organization ${id.slice(4)}`, kind: Number(id.slice(4)) < 10 ? 'government' : 'organization' });
  });
  await eachLimited(people, 4, async (id) => {
    const i = Number(id.slice(7));
    await post('/api/actors', { id, name: `Person ${id.slice(7)}`, kind: 'person' });
    if (i < 120) await post(`/api/actors/${id}/affiliations`, { organizationId: orgs[i % 20], role: i % 2 ? 'Minister' : 'Spokesperson', from: '2021-01-01', speaksFor: i % 3 !== 2 });
  });
  await post('/api/topics', { id: TOPIC, title: 'Military aid to Carpathia', proposition: 'Military aid to Carpathia should be increased', stances: CODES.map((code, i) => ({ code, label: code, score: 2 - i })) });
  const speakers = [...orgs, ...people];
  const plan = Array.from({ length: 2000 }, (_, n) => {
    const actorId = speakers[n < 200 ? n : Math.floor(rnd() * speakers.length)];
    const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(rnd() * 3 * 365 * 864e5)).toISOString().slice(0, 10);
    return { n, actorId, statedOn: n % 100 === 7 ? day.slice(0, 7) : day, stance: CODES[Math.floor(rnd() * 5)] };
  });
  const ids: string[] = [];
  await eachLimited(plan, 6, async ({ n, actorId, statedOn, stance }) => {
    const body = { actorId, topicId: TOPIC, stance, statedOn, summary: `Said ${stance} (#${n})`, source: { url: `https://news.example.org/${n}`, title: `Report ${n}`, publisher: 'Example News' } };
    ids[n] = (await post('/api/statements', body)).statementId;
  });
  for (let i = 0; i < 10; i++) await post(`/api/statements/${ids[i * 37 + 5]}/corrections`, { changes: { summary: `Corrected (#${i})` }, reason: 'Checked against the transcript' });
  for (let i = 0; i < 5; i++) await post(`/api/statements/${ids[i * 101 + 50]}/retractions`, { reason: 'Misattributed' });
  // A retracted statement dated only by its month: the feed gives its range, the page asks for nothing more.
  await post(`/api/statements/${ids[107]}/retractions`, { reason: 'Misattributed' });
  return { retractedVague: ids[107] };
}

/** Counts the API requests the page makes from now on. */
function countRequests(page: Page): () => string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) seen.push(url.pathname);
  });
  return () => [...seen];
}

describeInBrowser('web page at scale: 200 actors, 2,000 statements', () => {
  let service: WebService;
  let record: { retractedVague: string };
  const sessions: BrowserSession[] = [];
  const open = async (viewport = { width: 1440, height: 900 }, options = {}) => {
    const session = await openBrowser(viewport, options);
    // Drawing 200 lanes on a busy 2-core machine can take longer than the default 15 s.
    session.page.setDefaultTimeout(90_000);
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService();
    record = await loadBigRecord(service);
  }, BUILD_AND_START_MS * 2);

  afterAll(async () => {
    for (const session of sessions) await session.close();
    await service?.close();
  });

  afterEach(async () => {
    // A clean page: no script errors, no refused requests.
    for (const session of sessions.splice(0)) {
      expect(session.problems).toEqual([]);
      await session.close();
    }
  });

  it('loads the topic in at most three requests, with or without a topic in the URL', async () => {
    const { page } = await open();
    let requests = countRequests(page);
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await waitForPage(page);
    expect(requests().length).toBeLessThanOrEqual(3);
    expect(requests()).toEqual(expect.arrayContaining(['/api/topics', `/api/topics/${TOPIC}/feed`, `/api/topics/${TOPIC}/positions`]));
    // The whole topic is one page of the feed.
    expect((await service.get(`/api/topics/${TOPIC}/feed?includeRetracted=true`)).next).toBeNull();
    // The page knows the retracted statement's range without asking for it.
    expect(requests()).not.toContain(`/api/statements/${record.retractedVague}`);

    // Without a topic: the busiest one, from the list's counts, still in three requests.
    const fresh = await open();
    requests = countRequests(fresh.page);
    await fresh.page.goto(`${service.url}/`);
    await waitForPage(fresh.page);
    expect(await fresh.page.inputValue('#topic')).toBe(TOPIC);
    expect(requests().length).toBeLessThanOrEqual(3);
    // Every change of the record is in the replay list, not only the newest 300.
    expect(await fresh.page.locator('#record-moments option').count()).toBeGreaterThan(2000);
  });

  it('makes the chart one Tab stop, moves between statements with the arrow keys, and keeps the cursor in range without adding history', async () => {
    const { page } = await open();
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await waitForPage(page);
    expect(await page.locator('#chart [role="button"][tabindex="0"]').count()).toBe(1);
    const first = page.locator('#chart [role="button"][tabindex="0"]');
    await first.focus();
    const before = await first.getAttribute('data-statement-id');
    await page.keyboard.press('ArrowRight');
    const moved = await page.evaluate(() => (globalThis as any).document.activeElement.getAttribute('data-statement-id'));
    expect(moved).not.toBe(before);
    expect(await page.locator('#chart [role="button"][tabindex="0"]').count()).toBe(1);

    const length = await page.evaluate(() => (globalThis as any).history.length);
    await page.focus('#chart .cursor');
    await page.keyboard.press('End');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    const cursor = page.locator('#chart .cursor');
    expect(Number(await cursor.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(Number(await cursor.getAttribute('aria-valuemax')));
    await page.keyboard.press('Home');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
    expect(Number(await cursor.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(Number(await cursor.getAttribute('aria-valuemin')));
    expect(await page.evaluate(() => (globalThis as any).history.length)).toBe(length);
  });

  it('fits a phone: no sideways scroll at 390 px, and the chart text at its real size', async () => {
    const { page } = await open({ width: 390, height: 844 });
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await waitForPage(page);
    const widths = await page.evaluate(() => ({ scroll: (globalThis as any).document.documentElement.scrollWidth, client: (globalThis as any).document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const svg = await page.locator('#chart svg').boundingBox();
    expect(Number(await page.locator('#chart svg').getAttribute('width'))).toBeCloseTo(svg!.width, 0);
  });

  it.each([
    [{ width: 1440, height: 900 }],
    [{ width: 390, height: 844 }],
  ])('has no serious or critical axe-core violation at %j', async (viewport) => {
    const { page } = await open(viewport, { bypassCSP: true });
    await page.goto(`${service.url}/?topic=${TOPIC}&voices=shown`);
    await waitForPage(page);
    await page.click('#how-to-read summary');
    await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')) }));
    });
    expect(violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it.each([1440, 1024, 390])('draws the landscape beside the chart from 1024 px, under it on a phone (screenshot at %i px)', async (width) => {
    const { page, screenshot } = await open({ width, height: width < 500 ? 844 : 900 });
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2023-06-30&pin=org-00,person-001&from=2023-01-01&to=2023-12-31`);
    await waitForPage(page);
    const chart = (await page.locator('#chart').boundingBox())!;
    const side = (await page.locator('#landscape').boundingBox())!;
    if (width >= 1024) expect(side.x).toBeGreaterThanOrEqual(chart.x + chart.width);
    else expect(side.y).toBeGreaterThan(chart.y);
    // Pinned actors come first, and the zoom is the one the link asked for.
    expect(await page.inputValue('#zoom-from')).toBe('2023-01-01');
    const first = await page.locator('#chart [role="button"][tabindex="0"]').getAttribute('data-lane');
    expect(first).toBe('actor:org-00');
    // On a phone the controls fill the first screen: the picture starts at the lanes.
    if (width < 1024) await page.evaluate(() => (globalThis as any).document.getElementById('narrow').scrollIntoView());
    await screenshot(`page-${width}`, false);
  });

  it('says when a link has a bad date or record time, and shows the defaults', async () => {
    const { page } = await open();
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-32&knownAt=2025-13-01`);
    await waitForPage(page);
    const notice = await page.locator('#notice').innerText();
    expect(notice).toContain('2025-02-32');
    expect(notice).toContain('2025-13-01');
    expect(await page.locator('#chart svg').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('knownAt')).toBeNull();
  });

  it('pins the record time in a copied link, so the link shows the same view after the record changed', async () => {
    const { page } = await open();
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2023-06-30`);
    await waitForPage(page);
    await page.click('#copy-link');
    const cite = await page.locator('#cite').innerText();
    const link = /(http\S+knownAt=\S+?) \(retrieved/.exec(cite)![1];
    const landscape = await page.locator('#landscape tbody').innerText();

    // The record changes: a new statement on the cursor's day.
    await service.post('/api/statements', { actorId: 'person-000', topicId: TOPIC, stance: 'no-aid', statedOn: '2023-06-30', summary: 'A later record', source: { title: 'Later' } }, 'admin');
    const later = await open();
    await later.page.goto(link);
    await waitForPage(later.page);
    expect(await later.page.locator('#landscape tbody').innerText()).toBe(landscape);
    expect(await later.page.locator('#replay-banner').isVisible()).toBe(true);
  });
});
