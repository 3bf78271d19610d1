/**
 * The web page in headless Chromium: a statement's history (a correction by an editor, a retraction), retracted
 * statements shown struck through on demand, shifts marked, and an organization's divergent voice.
 */
import type { Page } from 'playwright-core';
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, openBrowser, startWebService, waitForPage, waitForUrlParam } from './support/browser';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

const TOPIC = 'russia-sanctions-relief';

// A real browser is slower than inject(): each test may take some seconds, more on a busy machine.
jest.setTimeout(PROCESS_TEST_MS);

/** An actor's first statement on the topic in the sample data: its id and its date as given (a day, or the range of "last week"). */
async function firstStatementOf(service: WebService, actorId: string): Promise<{ statementId: string; statedOn: string }> {
  const timeline = await service.get(`/api/actors/${actorId}/positions/${TOPIC}/timeline`);
  const entry = timeline.entries[0];
  if (!entry) throw new Error(`${actorId} has no statement on ${TOPIC}`);
  return entry;
}

async function openStatement(page: Page, statementId: string, actorId: string): Promise<string> {
  await page.click(`#chart [role="button"][data-statement-id="${statementId}"][data-lane="actor:${actorId}"]`);
  await page.waitForSelector(`#details[data-statement-id="${statementId}"][aria-busy="false"] .history`);
  return page.locator('#details').innerText();
}

describeInBrowser('web page: statement history, retractions, shifts, voices', () => {
  let service: WebService;
  let session: BrowserSession;
  let rubio: string;
  /** Rubio's statedOn in the sample, before the test corrects it. */
  let rubioStatedOn: string;
  let retracted: string;
  let editorId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService();
    session = await openBrowser();

    // An editor corrects the date of Rubio's statement, with a reason (a test correction, not a fact).
    ({ statementId: rubio, statedOn: rubioStatedOn } = await firstStatementOf(service, 'marco-rubio'));
    const correction = await service.post(
      `/api/statements/${rubio}/corrections`,
      { changes: { statedOn: '2025-02-17' }, reason: 'Test correction: the remarks were made a day earlier' },
      'editor',
    );
    expect(correction.status).toBe(201);
    const history = await service.get(`/api/statements/${rubio}/history`);
    editorId = history.events[1].recordedBy;
    expect(editorId).toMatch(/^editor:/);

    // Two made-up statements for Trump (test data only): the first is retracted.
    const said = (stance: string, statedOn: string, summary: string) =>
      service.post(
        '/api/statements',
        { actorId: 'donald-trump', topicId: TOPIC, stance, statedOn, summary, onBehalfOf: 'us-government', source: { url: 'https://example.org/briefing', title: 'Briefing transcript' } },
        'recorder',
      );
    const wrong = await said('lift-unconditionally', '2025-03-01', 'Test statement, recorded to be retracted');
    expect(wrong.status).toBe(201);
    retracted = wrong.body.statementId;
    expect((await service.post(`/api/statements/${retracted}/retractions`, { reason: 'Test retraction: misattributed' }, 'editor')).status).toBe(201);
    expect((await said('tighten', '2025-03-03', 'Test statement: a later, tighter stance')).status).toBe(201);
  }, BUILD_AND_START_MS);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  afterEach(() => {
    expect(session.problems).toEqual([]);
    session.problems.length = 0;
  });

  it('the history panel of a corrected statement lists the correction: who, when, why, and what changed', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-19`);
    await waitForPage(page);
    const details = await openStatement(page, rubio, 'marco-rubio');
    expect(details).toContain('Marco Rubio, 2025-02-17');
    expect(details).toContain('there has to be concessions made by all sides');
    const events = page.locator('#details .history > li');
    expect(await events.count()).toBe(2);
    const correction = (await events.nth(1).innerText()).replace(/\s+/g, ' ');
    expect(correction).toContain('Corrected');
    expect(correction).toContain(editorId);
    expect(correction).toContain('Test correction: the remarks were made a day earlier');
    expect(correction).toContain(`statedOn: ${rubioStatedOn} → 2025-02-17`);
    expect(await events.nth(1).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The mark says it was corrected; the list does too.
    expect(await page.getAttribute(`#chart [data-statement-id="${rubio}"][data-lane="actor:marco-rubio"]`, 'aria-label')).toContain('corrected');
    await session.screenshot('web-history-correction');

    // As known before the correction: the statement as first recorded, the correction greyed as "later".
    const before = (await service.get(`/api/statements/${rubio}/history`)).events[0].recordedAt;
    await page.selectOption('#record-moments', before);
    await waitForUrlParam(page, 'knownAt', before);
    await waitForPage(page);
    await page.waitForSelector(`#details[data-statement-id="${rubio}"][aria-busy="false"] .history`);
    expect(await page.locator('#details').innerText()).toContain(`Marco Rubio, ${rubioStatedOn}`);
    expect(await page.locator('#details .history > li.later').count()).toBe(1);
  });

  it('hides retracted statements until asked, then shows them struck through with the reason', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-03-03`);
    await waitForPage(page);
    expect(await page.locator('#chart g.mark-retracted [role="button"]').count()).toBe(0);
    await expect(page.locator('#statement-lists').innerText()).resolves.toContain('1 retracted statement is hidden');

    await page.check('#show-retracted');
    await page.waitForSelector('#chart g.mark-retracted [role="button"]');
    expect(new URL(page.url()).searchParams.get('retracted')).toBe('shown');
    expect(await page.getAttribute(`#chart g.mark-retracted [data-statement-id="${retracted}"]`, 'aria-label')).toContain('retracted: Test retraction: misattributed');
    expect(await page.$eval('#chart g.label-retracted text', (text: any) => (globalThis as any).getComputedStyle(text).textDecorationLine)).toBe('line-through');
    const item = page.locator(`#statement-lists li.retracted button[data-statement-id="${retracted}"]`);
    expect(await item.locator('s').innerText()).toContain('lift-unconditionally');
    const details = await openStatement(page, retracted, 'donald-trump');
    expect(details).toContain('Retracted');
    expect(details).toContain('Test retraction: misattributed');
    await session.screenshot('web-retracted-shown');
  });

  it("marks shifts, and highlights an organization's voice where its spokespeople diverge", async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-03-03&voices=shown`);
    await waitForPage(page);
    // Trump: not-yet (0) on 02-26, tighten (-2) on 03-03 once the retracted remark is left out: a full-flop away.
    const trump = page.locator('#statements [data-lane="actor:donald-trump"]');
    await expect(trump.innerText()).resolves.toContain('full-flop away from the proposition');
    expect(await page.locator('#chart g.shift-label text').allTextContents()).toContain('full-flop ↓');
    // The US government's spokespeople now differ by 3 (Rubio +1, Trump -2): divergent, outlined on its voice lane.
    expect(await page.locator('#chart g.band-divergent rect').count()).toBeGreaterThan(0);
    const voice = (await page.locator('#landscape tr[data-voice="us-government"]').innerText()).replace(/\s+/g, ' ');
    expect(voice).toContain('tighten');
    expect(voice).toContain('spokespeople diverge');
    expect(await page.getAttribute('#landscape tr[data-voice="us-government"]', 'class')).toContain('divergent');
    await session.screenshot('web-divergent-voice');
  });
});
