import { LogChecker } from './envelope-check';

const envelope = (eventId: unknown) => ({
  eventId,
  type: 'ActorRegistered',
  schemaVersion: 1,
  streamId: 'actor-a',
  streamPosition: 0,
  position: 1,
  recordedAt: '2025-01-01T00:00:00.000Z',
  recordedBy: 'recorder:x',
  correlationId: 'c',
  causationId: null,
  data: {},
});

describe('LogChecker: event ids', () => {
  it('accepts a lower-case UUID and refuses any other id before anything is imported', () => {
    expect(new LogChecker().check(envelope('0b5f1c2e-8a4d-4f7e-9c3b-000000000001')).filter((p) => p.field === 'eventId')).toEqual([]);
    for (const id of ['e1', '0B5F1C2E-8A4D-4F7E-9C3B-000000000001', '{0b5f1c2e-8a4d-4f7e-9c3b-000000000001}', '']) {
      expect(new LogChecker().check(envelope(id))).toContainEqual({ field: 'eventId', problem: 'must be a UUID in lower case (8-4-4-4-12 hex digits)' });
    }
  });
});
