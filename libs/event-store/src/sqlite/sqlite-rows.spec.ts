import { toReadAllQuery } from '../store-rules';
import { EventRow, insertedEvent, readAllParams, readAllShape, readAllSql, toEventRow, toStoredEvent } from './sqlite-rows';

describe('row mapping', () => {
  const metadata = { recordedBy: 'recorder:3f2a9c01b7de', correlationId: 'corr', causationId: null };

  it('maps an envelope to a row and the row (with its position) back to the same envelope', () => {
    const row = toEventRow(
      { eventId: 'e1', type: 'PositionStated', schemaVersion: 2, dataJson: '{"stance":"for","quotes":["a"]}' },
      { streamId: 'position-a.b', streamPosition: 4, recordedAt: '2025-03-01T12:00:00.000Z' },
      metadata,
    );
    expect(row).toEqual({
      event_id: 'e1',
      stream_id: 'position-a.b',
      stream_position: 4,
      type: 'PositionStated',
      schema_version: 2,
      data: '{"stance":"for","quotes":["a"]}',
      recorded_at: '2025-03-01T12:00:00.000Z',
      recorded_by: 'recorder:3f2a9c01b7de',
      correlation_id: 'corr',
      causation_id: null,
    });
    expect(toStoredEvent({ ...row, position: 17 })).toEqual({
      eventId: 'e1',
      type: 'PositionStated',
      schemaVersion: 2,
      streamId: 'position-a.b',
      streamPosition: 4,
      position: 17,
      recordedAt: '2025-03-01T12:00:00.000Z',
      recordedBy: 'recorder:3f2a9c01b7de',
      correlationId: 'corr',
      causationId: null,
      data: { stance: 'for', quotes: ['a'] },
    });
  });

  it('parses data afresh for each event read', () => {
    const row: EventRow = { ...toEventRow({ eventId: 'e', type: 'T', schemaVersion: 1, dataJson: '{"a":[1]}' }, { streamId: 's', streamPosition: 0, recordedAt: 'x' }, metadata), position: 1 };
    expect(toStoredEvent(row).data).not.toBe(toStoredEvent(row).data);
  });

  it('answers an inserted row as the same event a read gives, its data parsed when first read and then kept', () => {
    const row = toEventRow({ eventId: 'e', type: 'T', schemaVersion: 1, dataJson: '{"a":[1],"b":null}' }, { streamId: 's', streamPosition: 0, recordedAt: 'x' }, metadata);
    const inserted = insertedEvent(row, 9);
    expect(inserted).toEqual(toStoredEvent({ ...row, position: 9 }));
    expect({ ...inserted }).toEqual(toStoredEvent({ ...row, position: 9 }));
    expect(JSON.parse(JSON.stringify(inserted))).toEqual(toStoredEvent({ ...row, position: 9 }));
    expect(inserted.data).toBe(inserted.data);
    expect(insertedEvent({ ...row, data: 'null' }, 9).data).toBeNull();
    inserted.data = { replaced: true };
    expect(inserted.data).toEqual({ replaced: true });
  });
});

describe('readAll statements', () => {
  it('picks one statement shape per combination of filters', () => {
    expect(readAllShape(toReadAllQuery())).toBe('all');
    expect(readAllShape(toReadAllQuery({ streamId: 's', after: 3 }))).toBe('stream');
    expect(readAllShape(toReadAllQuery({ types: [] }))).toBe('types');
    expect(readAllShape(toReadAllQuery({ streamId: 's', types: ['A'] }))).toBe('stream+types');
  });

  it('binds the types as a JSON array and "no limit" as -1', () => {
    expect(readAllParams(toReadAllQuery())).toEqual({ after: 0, limit: -1 });
    expect(readAllParams(toReadAllQuery({ after: 2, limit: 5, streamId: 's', types: ['A', "O'Brien"] }))).toEqual({
      after: 2,
      limit: 5,
      streamId: 's',
      types: '["A","O\'Brien"]',
    });
  });

  it('filters only on what the shape names', () => {
    expect(readAllSql('all')).not.toMatch(/stream_id =|json_each/);
    expect(readAllSql('stream+types')).toMatch(/stream_id = @streamId AND type IN \(SELECT value FROM json_each\(@types\)\)/);
  });
});
