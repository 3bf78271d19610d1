import { SCHEMA_VERSIONS } from './schema-versions';
import { toDomainEvent, type Upcasters } from './upcasters';

const stated = { statementId: 's1', stance: 'tighten', statedOn: '2025-02-20', summary: 'Tighten.', source: { url: 'https://example.org/a', title: 'A' } };

describe('toDomainEvent: a stored event as the domain event it is today', () => {
  it('given an event at its current schema version, then its type and data, nothing of the envelope', () => {
    const stored = { type: 'PositionStated', schemaVersion: 1, data: stated, position: 7, streamId: 'position-a.t' };
    expect(toDomainEvent(stored)).toEqual({ type: 'PositionStated', data: stated });
  });

  describe('given a newer shape of an event (a test-only version 3 of ActorRenamed)', () => {
    const versions = { ...SCHEMA_VERSIONS, ActorRenamed: 3 };
    // Version 1 had `fullName`, version 2 renamed it `name`, version 3 added `reason`.
    const upcasters: Upcasters = {
      ActorRenamed: {
        1: (data) => ({ name: (data as { fullName: string }).fullName }),
        2: (data) => ({ ...(data as object), reason: 'unknown' }),
      },
    };

    it('then an event written at version 1 goes through every upcaster in order', () =>
      expect(toDomainEvent({ type: 'ActorRenamed', schemaVersion: 1, data: { fullName: 'Marco Rubio' } }, upcasters, versions)).toEqual({
        type: 'ActorRenamed',
        data: { name: 'Marco Rubio', reason: 'unknown' },
      }));

    it('then an event written at version 2 goes through the last one only', () =>
      expect(toDomainEvent({ type: 'ActorRenamed', schemaVersion: 2, data: { name: 'M. Rubio' } }, upcasters, versions).data).toEqual({ name: 'M. Rubio', reason: 'unknown' }));

    it('then a version with no upcaster is refused by name, not folded half-read', () =>
      expect(() => toDomainEvent({ type: 'ActorRenamed', schemaVersion: 1, data: {} }, { ActorRenamed: { 2: (d) => d } }, versions)).toThrow('no upcaster reads ActorRenamed version 1'));
  });

  it('given a version newer than the code, or a type the domain does not know, then it is refused', () => {
    expect(() => toDomainEvent({ type: 'TopicOpened', schemaVersion: 2, data: {} })).toThrow('TopicOpened version 2 is newer than this code reads (1)');
    expect(() => toDomainEvent({ type: 'SomethingElse', schemaVersion: 1, data: {} })).toThrow("event type 'SomethingElse' is not a domain event");
    expect(() => toDomainEvent({ type: 'toString', schemaVersion: 1, data: {} })).toThrow('not a domain event');
  });
});
