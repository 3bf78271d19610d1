import { actorStream, positionDecider, positionStream, topicStream } from '@positions/domain';
import { type AppendMetadata, MemoryEventStore, type NewEvent } from '@positions/event-store';
import type { ProjectionRunner } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import { StatementFactsReader } from '../statement-facts';
import { StreamCommands } from '../stream-commands';
import { ImportCheck } from './import-check';
import type { StatementInput } from './statement-input';
import { type ImportCounts, RowRefused, type StatementRow, StatementWriter, type ViewsInStep } from './statement-writer';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const META: AppendMetadata = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: 'cause' };
const STANCES = [
  { code: 'yes', label: 'Yes', score: 1 },
  { code: 'no', label: 'No', score: -1 },
];

const event = (type: string, data: unknown): NewEvent => ({ type, schemaVersion: 1, data });
const statement = (actorId: string, n: number, extra: Partial<StatementInput> = {}): StatementInput => ({
  actorId,
  topicId: 'tax',
  stance: n % 2 ? 'yes' : 'no',
  summary: `Statement ${n}`,
  statedOn: '2024-06-01',
  source: { title: `Report ${n}` },
  ...extra,
});

/** A store with two people, an organization Ana speaks for since 2020, and one topic. */
async function seededStore(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore({ clock: () => NOW });
  for (const [id, kind] of [['ana', 'person'], ['bob', 'person'], ['acme', 'organization']] as const) {
    await store.append(actorStream(id), [event('ActorRegistered', { id, name: id, kind, aliases: [] })], -1, META);
  }
  await store.append(actorStream('ana'), [event('AffiliationBegan', { organizationId: 'acme', role: 'CEO', from: '2020-01-01', speaksFor: true })], 0, META);
  await store.append(topicStream('tax'), [event('TopicOpened', { id: 'tax', title: 'Tax', proposition: 'Taxes should go up', stances: STANCES })], -1, META);
  return store;
}

describe('StatementWriter', () => {
  let store: MemoryEventStore;
  let check: ImportCheck;
  let streams: StreamCommands;
  let counts: ImportCounts;
  let views: ViewsInStep & { waitFor: jest.Mock };

  const writer = (inStep: ViewsInStep = views) =>
    new StatementWriter({
      store,
      check,
      streams,
      facts: new StatementFactsReader(streams, () => NOW),
      views: inStep,
      counts,
      context: () => ({ recordedBy: 'cli:test', correlationId: 'import-1', causationId: randomUUID() }),
    });

  /** The rows as the import's first pass leaves them: each checked by the import's check, numbered by line. */
  async function checked(statements: StatementInput[]): Promise<StatementRow[]> {
    const rows: StatementRow[] = [];
    for (const [i, s] of statements.entries()) {
      expect(await check.recordStatement(s)).toBe('new');
      rows.push({ line: i + 2, statement: s });
    }
    return rows;
  }

  const stated = async () => (await store.readAll({ types: ['PositionStated'] })).map((e) => [e.streamId, (e.data as { summary: string }).summary]);

  beforeEach(async () => {
    store = await seededStore();
    views = { waitFor: jest.fn(async () => undefined) };
    streams = new StreamCommands(store, views as unknown as ProjectionRunner);
    check = new ImportCheck(store, streams, () => NOW);
    counts = { read: 0, written: 0, recorded: 0, invalid: 0 };
  });

  it('writes a batch as one append per actor–topic stream, at the positions the check read, issued together, and waits for the views once', async () => {
    const rows = await checked([statement('ana', 1), statement('bob', 2), statement('ana', 3, { onBehalfOf: 'acme' })]);
    const append = jest.spyOn(store, 'append');
    await writer().write(rows);

    expect(append.mock.calls.map(([streamId, events, expected]) => [streamId, events.length, expected])).toEqual([
      [positionStream('ana', 'tax'), 2, -1],
      [positionStream('bob', 'tax'), 1, -1],
    ]);
    expect(await stated()).toEqual([
      [positionStream('ana', 'tax'), 'Statement 1'],
      [positionStream('ana', 'tax'), 'Statement 3'],
      [positionStream('bob', 'tax'), 'Statement 2'],
    ]);
    expect(counts).toMatchObject({ written: 3, recorded: 0 });
    expect(views.waitFor.mock.calls).toEqual([[await store.lastPosition()]]);
  });

  it('writes what RecordStatementHandler would: the decider’s events, recorded by the import’s principal and correlation', async () => {
    const [row] = await checked([statement('ana', 1, { quote: 'We said no', onBehalfOf: 'acme', source: { url: 'https://example.org/a', publisher: 'Example' } })]);
    await writer().write([row]);
    const [written] = await store.readStream(positionStream('ana', 'tax'));
    const { statementId } = written.data as { statementId: string };
    const facts = await new StatementFactsReader(streams, () => NOW).read('ana', 'tax', 'acme');
    const [expected] = positionDecider.decide({ type: 'RecordStatement', statementId, ...row.statement, ...facts }, positionDecider.initialState());
    expect(written).toMatchObject({ type: expected.type, data: expected.data, recordedBy: 'cli:test', correlationId: 'import-1' });
    expect(statementId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('moves each stream’s expected position on with its own appends, batch after batch', async () => {
    const rows = await checked([statement('ana', 1), statement('ana', 2), statement('ana', 3)]);
    const append = jest.spyOn(store, 'append');
    const write = writer();
    await write.write(rows.slice(0, 1));
    await write.write(rows.slice(1));
    expect(append.mock.calls.map(([, events, expected]) => [events.length, expected])).toEqual([
      [1, -1],
      [2, 0],
    ]);
    expect(counts.written).toBe(3);
  });

  it('takes the safe path for a stream another writer appended to since the check: rows it now holds are recorded, the others written', async () => {
    const rows = await checked([statement('ana', 1), statement('ana', 2), statement('bob', 3)]);
    // Another import of the same file wrote the first row meanwhile.
    const facts = await new StatementFactsReader(streams, () => NOW).read('ana', 'tax', undefined);
    const [first] = positionDecider.decide({ type: 'RecordStatement', statementId: randomUUID(), ...rows[0].statement, ...facts }, positionDecider.initialState());
    await store.append(positionStream('ana', 'tax'), [event(first.type, first.data)], -1, META);

    await writer().write(rows);
    expect(await stated()).toEqual([
      [positionStream('ana', 'tax'), 'Statement 1'],
      [positionStream('bob', 'tax'), 'Statement 3'],
      [positionStream('ana', 'tax'), 'Statement 2'],
    ]);
    expect(counts).toMatchObject({ written: 2, recorded: 1 });
  });

  it('reads an actor again when another writer changed it since the check, and refuses a row its new state refuses, writing nothing of the batch', async () => {
    const rows = await checked([statement('bob', 1), statement('ana', 2, { onBehalfOf: 'acme' })]);
    await store.append(actorStream('ana'), [event('AffiliationEnded', { organizationId: 'acme', role: 'CEO', until: '2023-12-31' })], 1, META);

    const error = await writer().write(rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RowRefused);
    expect(error).toMatchObject({ line: 3, reason: { field: 'onBehalfOf' } });
    expect(await stated()).toEqual([]);
    expect(counts.written).toBe(0);
  });

  it('with the views on another thread, starts them on each batch and waits only for those that trail too far, and for all at the end', async () => {
    const rows = await checked([statement('ana', 1), statement('bob', 2), statement('ana', 3)]);
    const threaded = { waitFor: jest.fn(async () => undefined), request: jest.fn(), trailingRows: 1 };
    const write = writer(threaded);
    const positions: number[] = [];
    for (const row of rows) {
      await write.write([row]);
      positions.push(await store.lastPosition());
    }
    expect(threaded.request.mock.calls).toEqual(positions.map((p) => [p]));
    expect(threaded.waitFor.mock.calls).toEqual([[positions[0]], [positions[1]]]);
    await write.finish();
    expect(threaded.waitFor.mock.calls.at(-1)).toEqual([positions[2]]);
  });

  it('leaves nothing for a second check of the same rows to write', async () => {
    const statements = [statement('ana', 1), statement('bob', 2)];
    await writer().write(await checked(statements));
    const again = new ImportCheck(store, streams, () => NOW);
    for (const s of statements) expect(await again.recordStatement(s)).toBe('recorded');
  });

  // Past a number of streams read one by one, the check reads every actor–topic stream at once; the outcome is the same.
  it.each([
    ['one by one', undefined],
    ['all at once after the first', 1],
  ])('over a record with statements, with the streams read %s: recorded rows are found, new ones written after each stream’s last event', async (_, streamsReadOneByOne) => {
    await writer().write(await checked([statement('ana', 1), statement('ana', 2), statement('bob', 3)]));
    const readAll = jest.spyOn(store, 'readAll');
    const append = jest.spyOn(store, 'append');
    check = new ImportCheck(store, streams, () => NOW, { streamsReadOneByOne });
    counts = { read: 0, written: 0, recorded: 0, invalid: 0 };

    const outcomes = [];
    for (const s of [statement('bob', 3), statement('ana', 2), statement('ana', 4), statement('acme', 5), statement('ana', 4)]) outcomes.push(await check.recordStatement(s));
    expect(outcomes).toEqual(['recorded', 'recorded', 'new', 'new', 'recorded']);
    const readAtOnce = readAll.mock.calls.filter(([options]) => options?.types?.includes('PositionStated'));
    expect(readAtOnce.length > 0).toBe(streamsReadOneByOne !== undefined);

    await writer().write([{ line: 4, statement: statement('ana', 4) }, { line: 5, statement: statement('acme', 5) }]);
    expect(append.mock.calls.map(([streamId, events, expected]) => [streamId, events.length, expected])).toEqual([
      [positionStream('ana', 'tax'), 1, 1],
      [positionStream('acme', 'tax'), 1, -1],
    ]);
    expect((await store.readStream(positionStream('ana', 'tax'))).map((e) => (e.data as { summary: string }).summary)).toEqual(['Statement 1', 'Statement 2', 'Statement 4']);
  });
});
