import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorId, csvLines, type Shape, STANCES, topicId } from '../support/dataset';
import { type BenchResult, log } from '../support/measure';
import { rawBatchedInserts } from '../support/raw';
import { storeEnv } from '../support/store';

const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');

function cli(dataDir: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...storeEnv(dataDir) } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`positions ${args.join(' ')} exited with ${code}`))));
  });
}

async function writeCsv(file: string, shape: Shape): Promise<void> {
  const out = createWriteStream(file);
  for (const line of csvLines(shape)) if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/**
 * Statements per second through the CLI's import path (validation, batched writes, views in
 * step), against raw batched inserts of the same number of rows. Leaves the store behind for
 * the workloads that need a large one.
 */
export async function importWorkload(shape: Shape): Promise<{ results: BenchResult[]; dataDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'positions-import-'));
  const dataDir = join(dir, 'data');
  const setup = join(dir, 'setup.json');
  writeFileSync(setup, JSON.stringify({
    actors: Array.from({ length: shape.actors }, (_, i) => ({ id: actorId(i), name: `Actor ${i}`, kind: 'person' })),
    topics: Array.from({ length: shape.topics }, (_, i) => ({ id: topicId(i), title: `Topic ${i}`, proposition: `Proposition ${i} should happen`, stances: STANCES })),
  }));
  const csv = join(dir, 'statements.csv');
  log(`import: writing a ${shape.statements}-statement CSV`);
  await writeCsv(csv, shape);
  await cli(dataDir, ['import', setup]);
  log('import: timing the CLI import of the CSV');
  const seconds = await cli(dataDir, ['import', csv]);
  const value = shape.statements / seconds;
  const baselineValue = rawBatchedInserts(shape.statements, JSON.stringify([...csvLines({ ...shape, statements: 1 })][1]).padEnd(400, ' '));
  log(`import: ${Math.round(value)} statements/s (${seconds.toFixed(1)} s); raw batched inserts ${Math.round(baselineValue)} rows/s`);
  rmSync(csv, { force: true });
  return {
    dataDir,
    results: [
      {
        name: 'import',
        value,
        unit: 'statements/s',
        baseline: 'raw batched inserts, 1,000 rows per transaction',
        baselineValue,
        ratio: value / baselineValue,
        target: 'ratio ≥ 0.5',
        notes: `${shape.statements} statements, ${shape.actors} actors, ${shape.topics} topics, through \`positions import\``,
      },
    ],
  };
}
