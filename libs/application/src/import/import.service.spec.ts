import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { actorStream, DomainError, type PositionEvent, positionAt, positionStream, type Recorded } from '@positions/domain';
import { MemoryEventStore } from '@positions/event-store';
import { ApplicationModule } from '../application.module';
import { ImportService } from './import.service';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const ana = { id: 'ana', name: 'Ana', kind: 'person' as const, aliases: [] };
const acme = { id: 'acme', name: 'Acme', kind: 'organization' as const, aliases: [] };
const tax = { id: 'tax', title: 'Tax', proposition: 'Taxes should go up', stances: [{ code: 'yes', label: 'Yes', score: 1 }] };
const said = { actorId: 'ana', topicId: 'tax', stance: 'yes', summary: 'Said so', statedOn: '2024-06-01', source: { title: 'Report' }, onBehalfOf: 'acme' };

describe('ImportService (through the application module’s exports)', () => {
  let app: INestApplicationContext;
  let store: MemoryEventStore;
  const start = () => app.get(ImportService).start({ recordedBy: 'cli:test', warn: () => undefined });

  beforeEach(async () => {
    store = new MemoryEventStore({ clock: () => NOW });
    const module = ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW });
    app = await NestFactory.createApplicationContext(module, { logger: false });
  });
  afterEach(() => app.close());

  it('checks entries against the record and the entries before them, writes the new ones, and a second import finds them all recorded', async () => {
    const first = start();
    expect(await first.decide(() => first.check.registerActor(ana))).toBe('new');
    expect(await first.decide(() => first.check.registerActor(acme))).toBe('new');
    const affiliation = { organizationId: 'acme', role: 'CEO', from: '2020-01-01', speaksFor: true };
    expect(await first.decide(() => first.check.beginAffiliation('ana', affiliation))).toBe('new');
    expect(await first.decide(() => first.check.openTopic(tax))).toBe('new');
    expect(await first.decide(() => first.check.recordStatement(said))).toBe('new');
    await first.writeActor(ana);
    await first.writeActor(acme);
    await first.writeAffiliation({ actorId: 'ana', ...affiliation });
    await first.writeTopic(tax);
    await first.writer.write([{ line: 2, statement: said }]);
    await first.writer.finish();
    await first.close();
    expect(first.counts).toMatchObject({ written: 1, recorded: 0, invalid: 0 });

    const events = await store.readAll();
    expect(new Set(events.map((e) => e.correlationId))).toEqual(new Set([events[0].correlationId]));
    expect(events.every((e) => e.recordedBy === 'cli:test')).toBe(true);

    const second = start();
    for (const decision of [() => second.check.registerActor(ana), () => second.check.openTopic(tax), () => second.check.recordStatement(said)]) {
      expect(await second.decide(decision)).toBe('recorded');
    }
    expect(second.counts.recorded).toBe(3);
  });

  it('answers a row the domain refuses with its refusal, counted invalid, and writes nothing', async () => {
    const session = start();
    const refusal = await session.decide(() => session.check.recordStatement(said));
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ field: 'actorId' });
    expect(session.counts.invalid).toBe(1);
    expect(await store.readStream(actorStream('ana'))).toEqual([]);
  });

  it('writes an entry once: a repeat of the same write replays it (keyed by content)', async () => {
    const session = start();
    await session.writeActor(ana);
    await session.writeActor(ana);
    expect(await store.readStream(actorStream('ana'))).toHaveLength(1);
  });

  it('records statements dated as the sources give them, with their wording, and refuses a range that begins after the import', async () => {
    const session = start();
    for (const decision of [() => session.check.registerActor(ana), () => session.check.registerActor(acme)]) await session.decide(decision);
    const lastWeek = { ...said, onBehalfOf: undefined, statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' };
    const thisMonth = { ...said, onBehalfOf: undefined, stance: 'no', statedOn: '2025-03', summary: 'Said no' };
    const tax2 = { ...tax, stances: [...tax.stances, { code: 'no', label: 'No', score: -1 }] };
    expect(await session.decide(() => session.check.openTopic(tax2))).toBe('new');
    expect(await session.decide(() => session.check.recordStatement(lastWeek))).toBe('new');
    expect(await session.decide(() => session.check.recordStatement(thisMonth))).toBe('new');
    // The same words with another wording are another statement; nothing new after the import's moment.
    expect(await session.decide(() => session.check.recordStatement({ ...lastWeek, statedOnWording: 'the week before' }))).toBe('new');
    const refusal = await session.decide(() => session.check.recordStatement({ ...lastWeek, statedOn: '2025-03-02/2025-03-05' }));
    expect(refusal).toMatchObject({ field: 'statedOn', code: 'POSITION.STATED_IN_THE_FUTURE' });

    await session.writeActor(ana);
    await session.writeActor(acme);
    await session.writeTopic(tax2);
    await session.writer.write([{ line: 2, statement: lastWeek }, { line: 3, statement: thisMonth }]);
    await session.writer.finish();
    await session.close();

    const events = (await store.readStream(positionStream('ana', 'tax'))) as unknown as Recorded<PositionEvent>[];
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' }),
      expect.not.objectContaining({ statedOnWording: expect.anything() }),
    ]);
    // "Last week" is open until its last day; March is clipped at the moment the import recorded it.
    expect(positionAt(events, '2025-02-20')).toMatchObject({ stance: null, certainty: 'uncertain', alternatives: [{ stance: 'yes' }] });
    expect(positionAt(events, '2025-02-23')).toMatchObject({ stance: 'yes', certainty: 'certain', alternatives: [] });
    expect(positionAt(events, '2025-03-01')).toMatchObject({ stance: 'no', since: '2025-03', statement: { earliest: '2025-03-01T00:00:00.000Z', latest: events[1].recordedAt } });
    expect(events[1].recordedAt.slice(0, 19)).toBe('2025-03-01T12:00:00');
  });
});
