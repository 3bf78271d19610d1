import { type StatementInput, type StatementRow, statementShapeProblems } from '@positions/application';
import { type DataSetEntries, type Entry, readDataSet } from './data-set-file';
import type { ImportRun } from './import-run';

type Write = { line: number; run: () => Promise<unknown> };

/**
 * A data set in the loader's order (actors, affiliations, topics, statements): every entry checked
 * first, then only the new ones written through the application's commands (the same as
 * DataSetLoader sends, minus what the store already holds).
 */
export async function importDataSet(run: ImportRun): Promise<void> {
  const entries = readDataSet(run.file, (line, p) => run.problems.add(line, p.field, p.problem));
  run.counts.read = entries.actors.length + entries.affiliations.length + entries.topics.length + entries.statements.length + entries.invalid;
  run.counts.invalid = entries.invalid;
  const { writes, statements } = await check(run, entries);
  run.settleProblems();
  if (run.options.dryRun) {
    run.counts.written = writes.length + statements.length;
    return;
  }
  const { writer } = run.session;
  await run.session.willWrite(writes.length + statements.length);
  try {
    for (const write of writes) {
      await write.run();
      run.counts.written++;
    }
    for (let i = 0; i < statements.length; i += run.options.batchSize) {
      await writer.write(statements.slice(i, i + run.options.batchSize));
    }
    await writer.finish();
  } catch (error) {
    throw run.writeFailed(error);
  }
}

async function check(run: ImportRun, entries: DataSetEntries): Promise<{ writes: Write[]; statements: StatementRow[] }> {
  const writes: Write[] = [];
  const { session } = run;
  const plan = async <T>(list: Entry<T>[], decide: (value: T) => Promise<'new' | 'recorded'>, write: (value: T) => Promise<unknown>) => {
    for (const { line, path, value } of list) {
      const outcome = await run.decide(line, () => decide(value), inEntry(path));
      if (outcome === 'new') writes.push({ line, run: () => write(value) });
    }
  };
  await plan(entries.actors, (a) => session.check.registerActor(a), (a) => session.writeActor(a));
  await plan(entries.affiliations, ({ actorId, ...a }) => session.check.beginAffiliation(actorId, a), (a) => session.writeAffiliation(a));
  await plan(entries.topics, (t) => session.check.openTopic(t), (t) => session.writeTopic(t));
  return { writes, statements: await checkStatements(run, entries.statements) };
}

async function checkStatements(run: ImportRun, list: Entry<StatementInput>[]): Promise<StatementRow[]> {
  const rows: StatementRow[] = [];
  for (const { line, path, value } of list) {
    const statement = { ...value, source: sourceInApiOrder(value.source) };
    const problems = statementShapeProblems(statement);
    problems.forEach((p) => run.problems.add(line, `${path}.${p.field}`, p.problem));
    if (problems.length > 0) {
      run.counts.invalid++;
      continue;
    }
    if ((await run.decide(line, () => run.session.check.recordStatement(statement), inEntry(path))) === 'new') rows.push({ line, statement });
  }
  return rows;
}

/** `statements[3].source.url`; the entry itself when the domain blames no field. */
const inEntry = (path: string) => (field: string | undefined) => (field ? `${path}.${field}` : path);

/** The key order the API's controller gives a source, so the stored JSON is the same whichever way it came in. */
function sourceInApiOrder({ url, title, publisher, publishedOn }: StatementInput['source']): StatementInput['source'] {
  return { ...(url !== undefined && { url }), ...(title !== undefined && { title }), ...(publisher !== undefined && { publisher }), ...(publishedOn !== undefined && { publishedOn }) };
}
