import { SEED_ARTICLE } from '@positions/testing';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, lines, runCli, SAMPLE, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

/* `positions intake`: an article's candidates from the shell, and --accept-all-above recording the confident ones. */

jest.setTimeout(PROCESS_TEST_MS);

describe('positions intake', () => {
  let main: string;
  let dataDir: string;
  let article: string;
  const positions = (...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });
  const eventsOfType = async (type: string) => lines((await positions('export')).stdout).map((l) => JSON.parse(l)).filter((e) => e.type === type);

  beforeAll(async () => {
    main = await buildCli();
    dataDir = tempDir();
    article = join(dataDir, 'article.txt');
    writeFileSync(article, SEED_ARTICLE.text);
    expect((await positions('import', SAMPLE)).code).toBe(0);
  }, BUILD_AND_START_MS);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the candidates as JSON and as a table, recording no statement', async () => {
    const before = (await eventsOfType('PositionStated')).length;
    const json = await positions('intake', article, '--published-on', '2025-02-26', '--json');
    expect(json.code).toBe(0);
    const draft = JSON.parse(json.stdout);
    expect(Object.keys(draft).sort()).toEqual(['candidates', 'draftId', 'source']);
    expect(draft.candidates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ quote: 'there has to be concessions made by all sides', speaker: expect.objectContaining({ actorId: 'marco-rubio' }), statedOn: '2025-02-17/2025-02-23' }),
        expect.objectContaining({ quote: 'stimulating role', speaker: expect.objectContaining({ actorId: 'vladimir-putin' }), statedOn: '2025-02-17/2025-02-23' }),
      ]),
    );
    const text = await positions('intake', article, '--published-on', '2025-02-26');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('valdis-dombrovskis');
    expect(text.stdout).toContain('2025-02-17/2025-02-23');
    expect((await eventsOfType('PositionStated')).length).toBe(before);
  });

  it('records the candidates above the confidence asked for, each with its provenance', async () => {
    const before = (await eventsOfType('PositionStated')).length;
    const run = await positions('intake', article, '--published-on', '2025-02-26', '--topic', 'russia-sanctions-relief', '--accept-all-above', '0.9', '--json');
    expect(run.code).toBe(0);
    const { draftId, candidates, accepted } = JSON.parse(run.stdout);
    const confident = candidates.filter((c: any) => c.stance !== null && c.speaker.actorId !== null && c.stanceConfidence >= 0.9);
    expect(confident.length).toBeGreaterThan(0);
    expect(accepted.map((a: any) => a.candidateId)).toEqual(confident.map((c: any) => c.candidateId));
    const stated = (await eventsOfType('PositionStated')).slice(before);
    expect(stated.map((e) => e.data.intake)).toEqual(confident.map((c: any) => ({ draftId, candidateId: c.candidateId, quoteSpan: c.quoteSpan })));
    expect(stated.every((e) => e.recordedBy.startsWith('cli:'))).toBe(true);
  });

  it('refuses a publishedOn in the future (exit 1), a malformed one (exit 2) and a missing file (exit 1), writing nothing', async () => {
    const before = lines((await positions('export')).stdout).length;
    const future = await positions('intake', article, '--published-on', '2999-01-01');
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('publishedOn');
    expect((await positions('intake', article, '--published-on', '2025-02-30')).code).toBe(2);
    expect((await positions('intake', join(dataDir, 'missing.txt'), '--published-on', '2025-02-26')).code).toBe(1);
    expect((await positions('intake', article, '--published-on', '2025-02-26', '--accept-all-above', '1.5')).code).toBe(2);
    expect(lines((await positions('export')).stdout).length).toBe(before);
  });
});
