import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, runCli, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS } from './support/timeouts';

/* `positions landscape` on a topic of more actors than one page holds: it follows `next` and prints them all. */

jest.setTimeout(240_000);

const ACTORS = 1203;

describe('positions landscape over many pages', () => {
  let main: string;
  const dataDir = tempDir();
  const positions = (...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });
  const ids = Array.from({ length: ACTORS }, (_, i) => `voter-${String(i).padStart(4, '0')}`);

  beforeAll(async () => {
    main = await buildCli();
    const file = join(dataDir, 'many.json');
    writeFileSync(
      file,
      JSON.stringify({
        actors: ids.map((id, i) => ({ id, name: `Voter ${i}`, kind: 'person' })),
        topics: [{ id: 'many-voices', title: 'Many voices', proposition: 'Many speak', stances: [{ code: 'yes', label: 'Yes', score: 1 }, { code: 'no', label: 'No', score: -1 }] }],
        statements: ids.map((actorId, i) => ({ actorId, topicId: 'many-voices', stance: i % 3 ? 'yes' : 'no', statedOn: '2025-02-01', summary: `Voter ${i} speaks`, source: { title: 'Test' } })),
      }),
    );
    expect(await positions('import', file)).toMatchObject({ code: 0 });
  }, BUILD_AND_START_MS);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints every actor once, in order, as JSON and as a table', async () => {
    const json = await positions('landscape', 'many-voices', '--at', '2025-03-01', '--json');
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.positions.map((p: { actorId: string }) => p.actorId)).toEqual(ids);
    expect(answer.next).toBeNull();
    const table = await positions('landscape', 'many-voices', '--at', '2025-03-01');
    expect(table.code).toBe(0);
    for (const id of [ids[0], ids[999], ids[1000], ids[ACTORS - 1]]) expect(table.stdout).toContain(id);
  });
});
