import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { StoredEvent } from '../event-store.port';
import { prepareEvents } from '../store-rules';
import { assertNamespace, escapeRegex, isDomainEvent, logFilter, streamIdOf, streamNameOf, toEventData, toStoredEvent, typesFilter } from './kurrentdb-envelope';

const META = { recordedBy: 'recorder:3f2a9c01b7de', correlationId: 'corr-1', causationId: 'cause-1' };
const EVENT_ID = '0b5f1c2e-8a4d-4f7e-9c3b-2d1e0f9a8b7c';

/** What the client hands back for an event written with `data` and `metadata`: both through JSON, as on the wire. */
function recorded(overrides: Partial<RecordedEvent> & { data?: unknown; metadata?: unknown } = {}): RecordedEvent {
  return {
    streamId: 'ns:actor-donald-trump',
    id: EVENT_ID,
    isJson: true,
    revision: 3n,
    type: 'ActorRegistered',
    created: new Date('2025-03-01T12:00:00.123Z'),
    data: {},
    metadata: undefined,
    position: { commit: 2047n, prepare: 2047n },
    ...overrides,
  } as RecordedEvent;
}

describe('the envelope in KurrentDB events', () => {
  const [prepared] = prepareEvents([{ eventId: EVENT_ID, type: 'ActorRegistered', schemaVersion: 2, data: { name: 'Trump', at: new Date('2025-02-26T00:00:00.000Z') } }]);

  it('writes id, type and JSON data as the event, the rest of the envelope as metadata, with $correlationId and $causationId', () => {
    expect(toEventData(prepared, META, '2025-03-01T12:00:00.250Z')).toEqual({
      id: EVENT_ID,
      contentType: 'application/json',
      type: 'ActorRegistered',
      data: { name: 'Trump', at: '2025-02-26T00:00:00.000Z' },
      metadata: {
        recordedAt: '2025-03-01T12:00:00.250Z',
        recordedBy: META.recordedBy,
        correlationId: 'corr-1',
        causationId: 'cause-1',
        schemaVersion: 2,
        $correlationId: 'corr-1',
        $causationId: 'cause-1',
      },
    });
  });

  it('leaves $causationId out when there is no cause', () => {
    const { metadata } = toEventData(prepared, { ...META, causationId: null }, '2025-03-01T12:00:00.250Z');
    expect(metadata).toMatchObject({ causationId: null });
    expect(metadata).not.toHaveProperty('$causationId');
  });

  it('reads back the envelope it wrote (round trip through JSON), stripping the namespace from the stream', () => {
    const written = toEventData(prepared, META, '2025-03-01T12:00:00.250Z');
    const read = recorded({ data: JSON.parse(JSON.stringify(written.data)), metadata: JSON.parse(JSON.stringify(written.metadata)) });
    const expected: StoredEvent = {
      eventId: EVENT_ID,
      type: 'ActorRegistered',
      schemaVersion: 2,
      streamId: 'actor-donald-trump',
      streamPosition: 3,
      position: 2048,
      recordedAt: '2025-03-01T12:00:00.250Z',
      recordedBy: META.recordedBy,
      correlationId: 'corr-1',
      causationId: 'cause-1',
      data: { name: 'Trump', at: '2025-02-26T00:00:00.000Z' },
    };
    expect(toStoredEvent(read, 'ns')).toEqual(expected);
    expect(toStoredEvent(recorded({ metadata: { ...(written.metadata as object), causationId: null } }), 'ns').causationId).toBeNull();
  });

  it('reads an event written by another tool with neutral values and the server time as recordedAt', () => {
    const foreign = toStoredEvent(recorded({ metadata: { $correlationId: 'c9', $causationId: 'e1', recordedAt: 'yesterday' } }), 'ns');
    expect(foreign).toMatchObject({ schemaVersion: 1, recordedBy: 'unknown', correlationId: 'c9', causationId: 'e1' });
    // The server time as the last millisecond of its second: reads (whole seconds) and the subscription (milliseconds) agree.
    expect(foreign.recordedAt).toBe('2025-03-01T12:00:00.999Z');
    const fromRead = toStoredEvent(recorded({ metadata: undefined, created: new Date('2025-03-01T12:00:00.000Z') }), 'ns');
    expect(fromRead.recordedAt).toBe(foreign.recordedAt);
    const bare = toStoredEvent(recorded({ metadata: undefined, isJson: false, data: new TextEncoder().encode('plain text') } as never), 'ns');
    expect(bare).toMatchObject({ correlationId: '', causationId: null, data: 'plain text' });
  });

  it('refuses an event without a log position (servers before 22.6)', () => {
    expect(() => toStoredEvent(recorded({ position: undefined }), '')).toThrow(/22\.6/);
  });
});

describe('which events are the store’s', () => {
  const is = (streamId: string, type = 'ActorRegistered', namespace = '') => isDomainEvent({ streamId, type }, namespace);

  it('drops system events: $-types (links, metadata, deletions) and $-streams', () => {
    expect(is('actor-x')).toBe(true);
    expect(is('actor-x', '$streamDeleted')).toBe(false);
    expect(is('$ce-actor', '$>')).toBe(false);
    expect(is('$$actor-x', '$metadata')).toBe(false);
    expect(is('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(false);
  });

  it('drops idempotency claims and streams of other namespaces', () => {
    expect(is('idempotency-ab12')).toBe(false);
    expect(is('t1:actor-x', 'ActorRegistered', 't1')).toBe(true);
    expect(is('t2:actor-x', 'ActorRegistered', 't1')).toBe(false);
    expect(is('t1:idempotency-ab12', 'IdempotencyKeyClaimed', 't1')).toBe(false);
  });

  it('keeps namespaces apart exactly: `a` is not a prefix of `ab`, the root store owns no namespace', () => {
    expect(is('ab:actor-x', 'ActorRegistered', 'a')).toBe(false);
    expect(is('a:actor-x', 'ActorRegistered', 'ab')).toBe(false);
    expect(is('t1:actor-x')).toBe(false);
    expect(is('t1:idempotency-ab12', 'IdempotencyKeyClaimed')).toBe(false);
  });

  it('drops claim events by their type, in whatever stream', () => {
    expect(is('actor-x', 'IdempotencyKeyClaimed')).toBe(false);
    expect(is('t1:actor-x', 'IdempotencyKeyReleased', 't1')).toBe(false);
  });

  it('maps stream ids to names and back through the separator', () => {
    expect(streamNameOf('', 'actor-x')).toBe('actor-x');
    expect(streamNameOf('t1', 'actor-x')).toBe('t1:actor-x');
    expect(streamIdOf('t1', 't1:actor-x')).toBe('actor-x');
    expect(streamIdOf('t1', 't10:actor-x')).toBeNull();
    expect(streamIdOf('', 't1:actor-x')).toBeNull();
    expect(() => assertNamespace('a:b')).toThrow(RangeError);
    expect(() => assertNamespace('$all')).toThrow(RangeError);
    expect(() => assertNamespace('e2e-1a2b-')).not.toThrow();
  });
});

describe('the server-side filter', () => {
  const names = (filter: unknown) => {
    expect(filter).toMatchObject({ filterOn: 'streamName' });
    const regex = new RegExp((filter as { regex: string }).regex);
    return (streams: string[]) => streams.filter((stream) => regex.test(stream));
  };
  const streams = ['actor-x', 'idempotency-ab', '$ce-actor', '$$actor-x', 't1:actor-x', 't1:idempotency-ab', 't10:actor-x', 'a:x', 'ab:x'];

  it('selects exactly the store’s domain streams, so a read bounded by maxCount ends at its first matches', () => {
    expect(names(logFilter(''))(streams)).toEqual(['actor-x']);
    expect(names(logFilter('t1'))(streams)).toEqual(['t1:actor-x']);
    expect(names(logFilter('a'))(streams)).toEqual(['a:x']);
  });

  it('selects the wanted types by an exact regex without a namespace, the namespace’s streams with one', () => {
    const byType = typesFilter('', ['ActorRegistered', 'Position.Stated']);
    expect(byType).toMatchObject({ filterOn: 'eventType' });
    const regex = new RegExp((byType as { regex: string }).regex);
    expect(['ActorRegistered', 'Position.Stated'].map((t) => regex.test(t))).toEqual([true, true]);
    expect(['ActorRegisteredX', 'PositionxStated', 'XActorRegistered'].map((t) => regex.test(t))).toEqual([false, false, false]);
    expect(names(typesFilter('t1', ['A']))(streams)).toEqual(['t1:actor-x']);
  });

  it('escapes every ASCII non-word character as \\uXXXX, which .NET and JavaScript read as that character', () => {
    expect(escapeRegex('a.b|c$')).toBe('a\\u002Eb\\u007Cc\\u0024');
    expect(escapeRegex('Ünïcode_9')).toBe('Ünïcode_9');
    const literal = 'weird (type) [1]+*?^$\\{2} #x';
    expect(new RegExp(`^${escapeRegex(literal)}$`).test(literal)).toBe(true);
  });
});
