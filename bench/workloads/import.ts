import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorId, csvLines, type Shape, STANCES, statements, topicId } from '../support/dataset';
import { type BenchResult, log } from '../support/measure';
import { rawImportRate } from '../support/raw';
import { storeEnv } from '../support/store';

const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');

/** Runs `positions <args>` on `dataDir` as a process; resolves with its seconds. */
export function cli(dataDir: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...storeEnv(dataDir) } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`positions ${args.join(' ')} exited with ${code}`))));
  });
}

/** The shape's statements as a CSV the CLI imports. */
export async function writeCsv(file: string, shape: Shape): Promise<void> {
  const out = createWriteStream(file);
  for (const line of csvLines(shape)) if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** The same statements as log rows of PositionStated, for the raw baseline. */
function* rawRows(shape: Shape): Iterable<{ streamId: string; data: string }> {
  let i = 0;
  for (const { actorId: actor, topicId: topic, ...fields } of statements(shape)) {
    yield { streamId: `position-${actor}.${topic}`, data: JSON.stringify({ statementId: `st-${i++}`, ...fields }) };
  }
}

/** A fresh data folder with the shape's actors and topics registered through the CLI. */
export async function storeWithActorsAndTopics(shape: Shape): Promise<{ dir: string; dataDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'positions-import-'));
  const dataDir = join(dir, 'data');
  const setup = join(dir, 'setup.json');
  writeFileSync(setup, JSON.stringify({
    actors: Array.from({ length: shape.actors }, (_, i) => ({ id: actorId(i), name: `Actor ${i}`, kind: 'person' })),
    topics: Array.from({ length: shape.topics }, (_, i) => ({ id: topicId(i), title: `Topic ${i}`, proposition: `Proposition ${i} should happen`, stances: STANCES })),
  }));
  await cli(dataDir, ['import', setup]);
  return { dir, dataDir };
}

/** Imports the shape's statements as a CSV through `positions import`; returns the seconds the import took. */
export async function importStatements(dir: string, dataDir: string, shape: Shape): Promise<number> {
  const csv = join(dir, 'statements.csv');
  log(`import: writing a ${shape.statements}-statement CSV`);
  await writeCsv(csv, shape);
  log('import: timing the CLI import of the CSV');
  const seconds = await cli(dataDir, ['import', csv]);
  rmSync(csv, { force: true });
  return seconds;
}

/**
 * Statements per second through the CLI's import path (validation, batched writes, views in
 * step), against raw batched log inserts of the same statements plus a raw build of the
 * statements index over them. Leaves the store behind for the workloads that need a large one.
 */
export async function importWorkload(shape: Shape): Promise<{ results: BenchResult[]; dataDir: string }> {
  const { dir, dataDir } = await storeWithActorsAndTopics(shape);
  const seconds = await importStatements(dir, dataDir, shape);
  const value = shape.statements / seconds;
  const baselineValue = rawImportRate(rawRows(shape));
  log(`import: ${Math.round(value)} statements/s (${seconds.toFixed(1)} s); raw batched log inserts + raw index build ${Math.round(baselineValue)}/s`);
  return {
    dataDir,
    results: [
      {
        name: 'import',
        value,
        unit: 'statements/s',
        baseline: 'raw batched log inserts (1,000 per transaction) + raw index build, indexes after the load',
        baselineValue,
        ratio: value / baselineValue,
        target: 'ratio ≥ 0.5',
        notes: `${shape.statements} statements, ${shape.actors} actors, ${shape.topics} topics, through \`positions import\``,
      },
    ],
  };
}
