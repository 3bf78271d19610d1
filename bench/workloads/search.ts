import {
  openViewsDatabase,
  ReadModels,
  searchColumnTable,
  searchTextTable,
  searchVersionsTable,
  statementSearchProjection,
  type StatementSearch,
  toMatchQuery,
} from '@positions/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorId, random, type Shape, statements, topicId } from '../support/dataset';
import { type BenchResult, log, percentile } from '../support/measure';

/**
 * `npm run bench -- --search`: statement search over a views database holding only the search
 * view, written straight from the data set's statements (no log, no import: a full import of
 * 1,000,000 statements takes long on a shared machine), then searched in-process, as the
 * query handler searches. The full run measures the same over HTTP on the imported store.
 */
export function searchWorkload(shape: Shape): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'positions-bench-search-'));
  try {
    const db = openViewsDatabase(join(dir, 'views.db'));
    const started = Date.now();
    fill(db, shape);
    log(`search view of ${shape.statements} statements written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const views = new ReadModels(db, { suffix: () => '', followSwitches: () => {}, versionOf: () => 0, knownThrough: () => null });
    const results = [
      measured('search in-process p99, two words', twoWordQueries(shape), views, shape),
      measured('search in-process p99, common word', ['news', 'statement', 'report', 'example'], views, shape),
      measured('search in-process p99, common word and actor', ['news'], views, shape, { actorId: actorId(1) }),
    ];
    db.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Generated = ReturnType<typeof statements> extends Iterable<infer S> ? S : never;

/**
 * Writes the search view's tables the way the projection does for PositionStated, row by row
 * in SQL: the projection's own path (event parsing, EDTF ranges) takes ~10 minutes for
 * 1,000,000 statements on a shared machine; this takes a few.
 */
function fill(db: ReturnType<typeof openViewsDatabase>, shape: Shape): void {
  statementSearchProjection.open(db, '');
  const version = db.prepare(`INSERT INTO ${searchVersionsTable('')} (id, statement_id, actor_id, topic_id, earliest_ms, latest_ms, fields, known_from_ms, from_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const text = db.prepare(`INSERT INTO ${searchTextTable('')} (rowid, summary, quote, title, publisher) VALUES (?, ?, ?, ?, ?)`);
  const summary = db.prepare(`INSERT INTO ${searchColumnTable('summary', '')} (rowid, text) VALUES (?, ?)`);
  const quote = db.prepare(`INSERT INTO ${searchColumnTable('quote', '')} (rowid, text) VALUES (?, ?)`);
  const recordedAt = Date.UTC(2026, 0, 1);
  let id = 0;
  const batch = db.transaction((rows: Generated[]) => {
    for (const { actorId: actor, topicId: topic, ...fields } of rows) {
      id++;
      const day = Date.parse(fields.statedOn);
      version.run(id, `statement-${id}`, actor, topic, day, day + 86_399_999, JSON.stringify(fields), recordedAt, id);
      text.run(id, fields.summary, fields.quote, fields.source.title, fields.source.publisher);
      summary.run(id, fields.summary);
      quote.run(id, fields.quote);
    }
  });
  let rows: Generated[] = [];
  for (const statement of statements(shape)) {
    rows.push(statement);
    if (rows.length === 10_000) {
      batch(rows);
      rows = [];
    }
  }
  batch(rows);
}

/** Two words, an actor and a topic named in summaries ("... of actor-12 on topic-3: ..."), as the HTTP row asks. */
function twoWordQueries(shape: Shape): string[] {
  const next = random(7);
  return Array.from({ length: 2000 }, () => `${actorId(Math.floor(next() * shape.actors))} ${topicId(Math.floor(next() * shape.topics))}`);
}

function measured(name: string, queries: string[], views: ReadModels, shape: Shape, filters: Partial<StatementSearch> = {}): BenchResult {
  const count = Math.max(200, queries.length);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < count; i++) {
    const search: StatementSearch = { match: toMatchQuery(queries[i % queries.length]), knownAtMs: Date.now(), seq: shape.statements, includeRetracted: false, limit: 51, ...filters };
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    views.searchStatements(search);
    const used = process.cpuUsage(cpu);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  // On a shared machine wall times include waiting for a core: CPU time says what a search costs.
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const cpuMs = `CPU p50 ${percentile(cpuTimes, 50).toFixed(1)} ms, p99 ${percentile(cpuTimes, 99).toFixed(1)} ms`;
  log(`${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms; ${cpuMs}`);
  return { name, value: percentile(times, 99), unit: 'ms', baseline: null, baselineValue: null, ratio: null, target: '≤ 50 ms', notes: `${shape.statements} statements, first page of 50, wall p50 ${percentile(times, 50).toFixed(1)} ms; ${cpuMs}` };
}
