import { rmSync } from 'node:fs';
import { startService } from './support/app-harness';
import { buildCli, runCli, tempDir } from './support/cli-harness';
import { ok, seedWorld, TOPIC } from './support/world';

/** Clears the screen, turns the text red, sets the window title, and returns to the start of the line. */
const HOSTILE = '\u001b[2J\u001b[31mFAKE\u001b]0;pwned-title\u0007 summary\r\u009b31m\u202eevil';

describe('the command-line tool never passes control characters to the terminal', () => {
  let main: string;
  let dataDir: string;
  const positions = (...args: string[]) => runCli(main, args, { dataDir });

  beforeAll(async () => {
    main = await buildCli();
    dataDir = tempDir();
    const service = await startService({ dataDir });
    await seedWorld(service);
    await ok(service.post('/api/statements', { actorId: 'marco-rubio', topicId: TOPIC, stance: 'not-yet', summary: HOSTILE, quote: HOSTILE, statedOn: '2025-03-01', source: { title: HOSTILE } }));
    await service.stop();
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['timeline', ['timeline', 'marco-rubio', TOPIC]],
    ['position', ['position', 'marco-rubio', TOPIC, '--at', '2025-03-02']],
  ])('%s prints the text with its control characters escaped', async (_, args) => {
    const run = await positions(...args);
    expect(run.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(run.stdout).toContain('\\u001b[2J\\u001b[31mFAKE\\u001b]0;pwned-title\\u0007 summary\\u000d\\u009b31m\\u202eevil');
  }, 120_000);

  it('keeps --json exact', async () => {
    const run = await positions('timeline', 'marco-rubio', TOPIC, '--json');
    expect(run.code).toBe(0);
    const summaries = (JSON.parse(run.stdout) as { entries: { summary: string }[] }).entries.map((e) => e.summary);
    expect(summaries).toContain(HOSTILE);
  }, 120_000);
});
