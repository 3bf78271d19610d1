/**
 * The web page's Follow button, in headless Chromium on the sample data: it reads the change
 * stream and lists each change as it is recorded, newest first.
 */
import { statementBody } from '@positions/testing';
import { type BrowserSession, type WebService, describeInBrowser, ensureWebBuilt, openBrowser, startWebService, waitForPage } from './support/browser';

const TOPIC = 'russia-sanctions-relief';

jest.setTimeout(60_000);

describeInBrowser('web page: follow', () => {
  let service: WebService;
  let session: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    service = await startWebService();
    session = await openBrowser();
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  it("lists each change to a followed actor as it is recorded (his own, and his government's voices), newest first, and not another's moves", async () => {
    const page = session.page;
    await page.goto(`${service.url}/?topic=${TOPIC}`);
    await waitForPage(page);
    await page.selectOption('#follow-actor', 'donald-trump');
    await page.click('#follow-button');
    await page.waitForSelector('#follow-status:has-text("Following")');
    expect(await page.getAttribute('#follow-button', 'aria-pressed')).toBe('true');
    const say = (actorId: string, stance: string) => service.post('/api/statements', statementBody({ actorId, topicId: TOPIC, stance, statedOn: '2025-12-01' }), 'recorder');
    expect((await say('marco-rubio', 'tighten')).status).toBe(201);
    expect((await say('donald-trump', 'tighten')).status).toBe(201);
    // Rubio's move makes the government's voices diverge (Trump is one); Trump's brings them together.
    await page.waitForSelector('#follow-list li:has-text("agree again")');
    const items = await page.$$eval('#follow-list li', (lis: any[]) => lis.map((li) => li.textContent as string));
    expect(items).toEqual([
      "voice-converged United States government's spokespeople agree again",
      expect.stringMatching(/^position-changed Donald Trump: .+ → Add further restrictions$/),
      "voice-diverged United States government's spokespeople now disagree",
    ]);
    expect(session.problems).toEqual([]);
  });
});
