/**
 * The web page in headless Chromium, on the sample data: lanes, the date cursor with the landscape beside it,
 * "as known at", a URL that keeps the view, and the keyboard.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { KEYS } from './support/app-harness';
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, focused, openBrowser, startWebService, waitForPage, waitForUrlParam } from './support/browser';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

const TOPIC = 'russia-sanctions-relief';

// A real browser is slower than inject(): each test may take some seconds, more on a busy machine.
jest.setTimeout(PROCESS_TEST_MS);

async function laneLabels(page: Page): Promise<string[]> {
  // Long labels wrap onto several <tspan> lines.
  return page.$$eval('#chart g[aria-label="y-axis tick label"] text', (texts: any[]) =>
    texts.map((text) => {
      const lines: string[] = Array.from(text.querySelectorAll('tspan'), (line: any) => line.textContent ?? '');
      return lines.length ? lines.join(' ') : (text.textContent ?? '');
    }),
  );
}

async function landscapeRow(page: Page, actorId: string): Promise<string> {
  return (await page.locator(`#landscape tr[data-actor="${actorId}"]`).innerText()).replace(/\s+/g, ' ');
}

async function cursorDay(page: Page): Promise<string | null> {
  return page.getAttribute('#chart .cursor', 'aria-valuetext');
}

/** Drags the date cursor with the mouse, a few pixels at a time, until it shows `day`. */
async function dragCursorTo(page: Page, day: string): Promise<void> {
  const cursor = await page.locator('#chart .cursor').boundingBox();
  const plot = await page.locator('#chart svg').boundingBox();
  if (!cursor || !plot) throw new Error('no cursor or chart on the page');
  const y = plot.y + plot.height / 2;
  let x = cursor.x + cursor.width / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const left = (await cursorDay(page))! > day;
  for (let step = 0; step < 400 && (await cursorDay(page)) !== day; step++) {
    x += left ? -5 : 5;
    await page.mouse.move(x, y);
  }
  await page.mouse.up();
}

describeInBrowser('web page: lanes, date cursor, as known at', () => {
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

  afterEach(() => {
    // A clean page: no script errors, no refused requests, nothing blocked by the content security policy.
    expect(session.problems).toEqual([]);
    session.problems.length = 0;
  });

  it('serves the page at / beside the API, and the API keeps its own 404s', async () => {
    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="chart"');
    const unknown = await fetch(`${service.url}/api/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await fetch(`${service.url}/health`)).status).toBe(200);

    // The read-only view at /embed may be framed by other sites; the page itself may not.
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const embed = await fetch(`${service.url}/embed`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(await embed.text()).toContain('<div id="chart"');
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
  });

  it("shows the lanes of the article's actors, the legend of the codebook, and a shareable URL", async () => {
    const { page } = session;
    await page.goto(`${service.url}/`);
    await waitForPage(page);

    // Without a topic in the URL, the page opens the topic most actors hold a position on.
    expect(await page.inputValue('#topic')).toBe(TOPIC);
    const url = new URL(page.url());
    expect(url.searchParams.get('topic')).toBe(TOPIC);
    expect(url.searchParams.get('date')).toBe('2025-02-26');

    for (const name of ['Marco Rubio', 'Donald Trump', 'Valdis Dombrovskis', 'European Union', 'Government of the Russian Federation']) {
      expect((await laneLabels(page)).join(' | ')).toContain(name);
    }
    // Voice lanes are collapsed until asked for; the choice is kept in the URL.
    expect((await laneLabels(page)).join(' | ')).not.toContain('(voice)');
    await page.check('#show-voices');
    await waitForUrlParam(page, 'voices', 'shown');
    const labels = await laneLabels(page);
    for (const name of ['United States government (voice)', 'European Union (voice)']) expect(labels.join(' | ')).toContain(name);
    // One focusable, labelled mark per statement on the actors' lanes (5), plus the voices' deciding statements (2 + 2).
    const marks = page.locator('#chart g.mark-statement > [role="button"]');
    expect(await marks.count()).toBe(9);
    expect(await page.getAttribute('#chart [role="button"][data-lane="actor:marco-rubio"]', 'aria-label')).toMatch(/Marco Rubio, 2025-02-17\/2025-02-23 “last week”: concessions-needed \(\+1\)/);
    expect(await page.getAttribute('#chart svg', 'aria-label')).toContain('Relief of Western sanctions on Russia');

    // The legend: the proposition and the codebook, -2 to +2.
    await expect(page.locator('#legend .proposition').innerText()).resolves.toContain('Western sanctions on Russia should be lifted');
    expect(await page.$$eval('#legend .codebook li', (items: any[]) => items.map((item) => item.getAttribute('data-code')))).toEqual([
      'lift-unconditionally',
      'concessions-needed',
      'not-yet',
      'no-lifting',
      'tighten',
    ]);
    // Both voices moved when someone else spoke for them (US: Rubio to Trump; EU: Dombrovskis to the 16th package):
    // a change of speaker, not a flip of the organization.
    expect(await page.locator('#chart g.shift-label text').allTextContents()).toEqual(['new speaker', 'new speaker']);
    await expect(page.locator('#statements [data-lane="voice:us-government"]').innerText()).resolves.toContain('new speaker');
    await expect(page.locator('#statements [data-lane="voice:us-government"]').innerText()).resolves.not.toContain('half-flip');

    // The statement list is the keyboard and screen-reader alternative: one section per lane.
    expect(await page.locator('#statement-lists [data-lane]').count()).toBe(labels.length);
    expect(await landscapeRow(page, 'donald-trump')).toContain('not-yet');
    await session.screenshot('web-lanes');

    // The window as a reader sees it with the cursor mid-week and Rubio's statement open: the README's picture
    // (copied by hand to docs/screenshot.png).
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-21`);
    await waitForPage(page);
    await page.click('#chart [role="button"][data-lane="actor:marco-rubio"]');
    await page.waitForSelector('#details[aria-busy="false"] .history');
    await page.evaluate(() => {
      (globalThis as any).document.activeElement?.blur();
      (globalThis as any).scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await session.screenshot('web-readme', false);
  });

  it('moving the cursor to 2025-02-19 shows Rubio as possibly at concessions-needed (said "last week") and no position for Trump', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await waitForPage(page);
    expect(await cursorDay(page)).toBe('2025-02-26');

    await dragCursorTo(page, '2025-02-19');
    await page.waitForSelector('#landscape[data-day="2025-02-19"][aria-busy="false"]');
    expect(await landscapeRow(page, 'marco-rubio')).toMatch(/no known position\s*uncertain possibly concessions-needed/);
    expect(await landscapeRow(page, 'donald-trump')).toContain('no known position');
    expect(await landscapeRow(page, 'valdis-dombrovskis')).toContain('no known position');
    await expect(page.locator('#landscape tr[data-voice="us-government"]').innerText()).resolves.toMatch(/no known position[\s\S]*uncertain[\s\S]*possibly concessions-needed \(\+1\) \(Marco Rubio\)/);
    expect(new URL(page.url()).searchParams.get('date')).toBe('2025-02-19');
    expect(await page.inputValue('#date')).toBe('2025-02-19');
    await session.screenshot('web-cursor-2025-02-19');

    // The cursor is a slider: one day on with the arrow key, and Dombrovskis has spoken.
    await page.focus('#chart .cursor');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#landscape[data-day="2025-02-20"][aria-busy="false"]');
    expect(await landscapeRow(page, 'valdis-dombrovskis')).toContain('no-lifting');

    // The date field moves it too; the URL follows, and a reload shows the same view.
    await page.fill('#date', '2025-02-24');
    await page.dispatchEvent('#date', 'change');
    await page.waitForSelector('#landscape[data-day="2025-02-24"][aria-busy="false"]');
    expect(await landscapeRow(page, 'european-union')).toContain('tighten');
    await page.reload();
    await waitForPage(page);
    expect(await cursorDay(page)).toBe('2025-02-24');
    expect(await landscapeRow(page, 'european-union')).toContain('tighten');
  });

  it('"as known at" replays the record as it stood, and the URL keeps it', async () => {
    const { page } = session;
    // Rubio's statement was the first one the demo loader recorded: just after it, nothing else was known.
    const { events } = await service.get(`/api/events?streamId=position-marco-rubio.${TOPIC}`);
    const knownAt: string = events[0].recordedAt;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-26&knownAt=${encodeURIComponent(knownAt)}`);
    await waitForPage(page);
    const labels = await laneLabels(page);
    expect(labels).toContain('Marco Rubio');
    expect(labels).not.toContain('Donald Trump');
    await expect(page.locator('#replay-banner').innerText()).resolves.toContain('Replaying the record as it stood at');
    expect(await page.inputValue('#known-at')).toBe(knownAt.slice(0, 19));
    expect(await landscapeRow(page, 'marco-rubio')).toContain('concessions-needed');
    expect(await page.locator('#landscape tr[data-actor="donald-trump"]').count()).toBe(0);
    await session.screenshot('web-known-at');

    // Back to the latest record.
    await page.click('#known-now');
    await waitForPage(page);
    await waitForUrlParam(page, 'knownAt', null);
    expect(await laneLabels(page)).toContain('Donald Trump');
    expect(await page.isHidden('#replay-banner')).toBe(true);
  });

  it('exports the landscape and the statements as CSV, the chart as SVG and PNG', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-26`);
    await waitForPage(page);
    const save = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      return { name: download.suggestedFilename(), body: readFileSync((await download.path())!) };
    };
    const landscape = await save('#export-landscape');
    expect(landscape.name).toBe(`${TOPIC}-landscape-2025-02-26.csv`);
    expect(landscape.body.toString('utf8')).toMatch(/^actorId,name,stance,score,since,certainty,statementId\r\n/);
    expect(landscape.body.toString('utf8')).toMatch(/donald-trump,Donald Trump,not-yet,0,2025-02-26,certain,/);
    const statements = (await save('#export-statements')).body.toString('utf8');
    expect(statements.split('\r\n')[0]).toBe('lane,actorId,speakerId,statementId,statedOn,stance,score,shift,summary,sourceUrl,sourceTitle,retracted');
    expect(statements).toMatch(/\r\nDonald Trump,donald-trump,donald-trump,[0-9a-f-]+,2025-02-26,not-yet,0,/);
    const svg = await save('#export-svg');
    expect(svg.body.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.body.toString('utf8')).toContain('Relief of Western sanctions on Russia');
    const png = await save('#export-png');
    expect(png.name).toBe(`${TOPIC}-chart.png`);
    expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('shows the same view read-only at /embed, for an iframe elsewhere', async () => {
    const { page } = session;
    await page.goto(`${service.url}/embed?topic=${TOPIC}&date=2025-02-26`);
    await waitForPage(page);
    expect(await laneLabels(page)).toContain('Donald Trump');
    expect(await page.isVisible('#controls')).toBe(false);
    expect(await page.isVisible('#narrow')).toBe(false);
    expect(await landscapeRow(page, 'donald-trump')).toContain('not-yet');
  });

  it('is usable by keyboard: a mark opens its statement, Escape closes it and returns focus', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}&date=2025-02-26`);
    await waitForPage(page);
    const mark = page.locator('#chart [role="button"][data-lane="actor:donald-trump"]');
    await mark.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#details[aria-busy="false"] .history');
    expect(await focused(page, 'id')).toBe('details-title');
    const details = await page.locator('#details').innerText();
    expect(details).toContain('Donald Trump, 2025-02-26');
    expect(details).toContain("No, we haven't lifted any sanctions on anybody");
    expect(details).toContain('Stated');
    expect(new URL(page.url()).searchParams.get('statement')).toBe(await mark.getAttribute('data-statement-id'));
    await session.screenshot('web-keyboard-details');

    await page.keyboard.press('Escape');
    expect(await page.isHidden('#details')).toBe(true);
    expect(await focused(page, 'data-lane')).toBe('actor:donald-trump');

    // The list of statements is reachable with Tab from the skip link's target.
    // (first the lane's heading, which folds its list, then its statements).
    await page.focus('#statements');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.tagName)).toBe('SUMMARY');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'class')).toBe('statement');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#details[aria-busy="false"] .history');
  });
});

describeInBrowser('web page: with READ_ACCESS=key', () => {
  let service: WebService;
  let session: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService({ READ_ACCESS: 'key' });
    session = await openBrowser();
  }, BUILD_AND_START_MS);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  it('asks for a key, keeps it in the tab only, and then shows the lanes', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await page.waitForSelector('#key-form:not([hidden])');
    await expect(page.locator('#error').innerText()).resolves.toContain('needs an API key');
    await page.fill('#api-key', KEYS.reader);
    await page.click('#key-form button[type="submit"]');
    await waitForPage(page);
    expect(await laneLabels(page)).toContain('Marco Rubio');
    expect(await page.isHidden('#key-form')).toBe(true);
    expect(page.url()).not.toContain(KEYS.reader);
    // The refused requests before the key are expected here, and only here.
    expect(session.problems.every((problem) => problem.includes('401'))).toBe(true);
  });
});

describeInBrowser('web page: over the rate limit', () => {
  let service: WebService;
  let session: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    // The page's own files and the list of topics fit; the topic's feed is refused with a Retry-After of about a minute.
    service = await startWebService({ RATE_LIMIT: '4' });
    session = await openBrowser();
  }, BUILD_AND_START_MS);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  it('says the service is busy in words, with a Retry button, never the raw exception', async () => {
    const { page } = session;
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await page.waitForSelector('#error .retry');
    const error = await page.locator('#error').innerText();
    expect(error).toContain('busy');
    expect(error).not.toMatch(/Throttler|Too Many Requests/);
    expect(await page.getAttribute('main', 'aria-busy')).toBe('false');
  });
});
