/**
 * The web page in headless Chromium with statements dated as the sources give them: a statement dated only by a
 * range of days is drawn as a span over those days, and a position the sources leave open is marked uncertain in
 * the landscape, with the answers they allow.
 */
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, openBrowser, startWebService, waitForPage } from './support/browser';

const TOPIC = 'russia-sanctions-relief';

// A real browser is slower than inject(): each test may take some seconds, more on a busy machine.
jest.setTimeout(60_000);

describeInBrowser('web page: dates as the sources give them', () => {
  let service: WebService;
  let session: BrowserSession;
  let trumpRange: string;

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService();
    session = await openBrowser();
    // Made-up statements (test data only), each dated by the week it was said in.
    const said = (actorId: string, extra: Record<string, unknown>) =>
      service.post(
        '/api/statements',
        { actorId, topicId: TOPIC, stance: 'concessions-needed', statedOn: '2025-03-02/2025-03-08', statedOnWording: 'the following week', summary: 'Test statement dated by a week', source: { title: 'Test briefing' }, ...extra },
        'recorder',
      );
    const trump = await said('donald-trump', {});
    expect(trump.status).toBe(201);
    trumpRange = trump.body.statementId;
    expect((await service.post('/api/actors', { id: 'test-analyst', name: 'Test Analyst', kind: 'person' }, 'recorder')).status).toBe(201);
    expect((await said('test-analyst', { stance: 'not-yet' })).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  afterEach(() => {
    expect(session.problems).toEqual([]);
    session.problems.length = 0;
  });

  const landscapeRow = async (actorId: string) => (await session.page.locator(`#landscape tr[data-actor="${actorId}"]`).innerText()).replace(/\s+/g, ' ');

  it('draws the statement as a bracketed span over its seven days, its mark at the end of the span', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-03-04`);
    await waitForPage(page);
    const mark = page.locator(`#chart g.mark-statement [data-statement-id="${trumpRange}"][data-lane="actor:donald-trump"]`);
    expect(await mark.getAttribute('aria-label')).toContain('2025-03-02/2025-03-08 “the following week”: concessions-needed (+1); said some day 2025-03-02 – 2025-03-08');
    const spans = page.locator('#chart g.statement-span > *');
    const titles = await spans.evaluateAll((rects: any[]) => rects.map((rect) => rect.textContent ?? ''));
    const index = titles.findIndex((title: string) => title.startsWith('Donald Trump: concessions-needed (+1), said some day 2025-03-02 – 2025-03-08'));
    expect(index).toBeGreaterThanOrEqual(0);
    const span = (await spans.nth(index).boundingBox())!;
    const dot = (await mark.boundingBox())!;
    // Seven days wide: the mark (the middle of the last day) sits inside it, about half a day from its right end.
    const day = span.width / 7;
    expect(day).toBeGreaterThan(3);
    expect(dot.x + dot.width / 2).toBeGreaterThan(span.x + span.width - day);
    expect(dot.x + dot.width / 2).toBeLessThan(span.x + span.width);
    await session.screenshot('web-range-2025-03-04');
  });

  it('marks the positions the week leaves open as uncertain, with the answers it allows, and drops the mark once the week is over', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-03-04`);
    await waitForPage(page);
    await page.waitForSelector('#landscape[data-day="2025-03-04"][aria-busy="false"]');
    // Trump said not-yet on 2025-02-26 for certain; concessions-needed may have been said by 2025-03-04.
    expect(await landscapeRow('donald-trump')).toMatch(/not-yet \(0\)\s*uncertain possibly concessions-needed \(\+1\) \(Donald Trump\)/);
    expect(await page.getAttribute('#landscape tr[data-actor="donald-trump"]', 'class')).toContain('uncertain');
    // No position for certain, one possibly: the landscape does not list it, the page asks for the position.
    expect(await landscapeRow('test-analyst')).toMatch(/no known position\s*uncertain possibly not-yet \(0\) \(Test Analyst\)/);

    await page.fill('#date', '2025-03-08');
    await page.dispatchEvent('#date', 'change');
    await page.waitForSelector('#landscape[data-day="2025-03-08"][aria-busy="false"]');
    expect(await landscapeRow('donald-trump')).toContain('concessions-needed (+1)');
    expect(await landscapeRow('donald-trump')).not.toContain('uncertain');
  });

  it('shows the wording and the range in the statement panel and the statement list', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-03-04`);
    await waitForPage(page);
    await page.click(`#chart g.mark-statement [data-statement-id="${trumpRange}"][data-lane="actor:donald-trump"]`);
    await page.waitForSelector(`#details[data-statement-id="${trumpRange}"][aria-busy="false"] .history`);
    const details = await page.locator('#details').innerText();
    expect(details).toMatch(/Stated\s+2025-03-02\/2025-03-08 “the following week” — some day 2025-03-02 – 2025-03-08, not known which/);
    expect(details).toContain('stated on 2025-03-02/2025-03-08 “the following week”');
    const item = await page.locator(`#statements [data-lane="actor:donald-trump"] button.statement[data-statement-id="${trumpRange}"]`).innerText();
    expect(item).toContain('2025-03-02/2025-03-08 “the following week” (2025-03-02 – 2025-03-08)');
  });
});
