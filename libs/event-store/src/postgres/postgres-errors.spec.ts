import { StoreUnavailableError } from '../event-store.port';
import { classifyPostgresError, keyValueOf, redactUrl, toStoreError } from './postgres-errors';

describe('PostgreSQL errors', () => {
  it.each([
    ['08006', 'connection failure'],
    ['57P01', 'admin shutdown'],
    ['53100', 'disk full'],
    ['28P01', 'bad password'],
    ['3D000', 'no such database'],
    ['25006', 'read-only standby'],
    ['55P03', 'lock timeout'],
    ['ECONNREFUSED', 'refused'],
    ['EPIPE', 'broken pipe'],
  ])('makes %s (%s) a StoreUnavailableError (503), keeping the cause', (code, what) => {
    const cause = Object.assign(new Error(what), { code });
    const mapped = toStoreError(cause, 'append to stream s');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).cause).toBe(cause);
    expect((mapped as Error).message).toMatch(/^cannot append to stream s: /);
  });

  it('leaves bugs and bad input alone: a syntax error, a check violation', () => {
    for (const code of ['42601', '23514', '22P02']) {
      const error = Object.assign(new Error('x'), { code });
      expect(toStoreError(error, 'read')).toBe(error);
    }
  });

  it('treats a dropped connection without a code as unavailable', () => {
    expect(classifyPostgresError(new Error('Connection terminated unexpectedly')).kind).toBe('unavailable');
  });

  it('tells which unique constraint refused a row, and the value', () => {
    const error = { code: '23505', constraint: 'events_event_id_key', detail: 'Key (event_id)=(abc-1) already exists.' };
    expect(classifyPostgresError(error)).toEqual({ kind: 'unique', constraint: 'events_event_id_key', detail: error.detail });
    expect(keyValueOf(error.detail)).toBe('abc-1');
  });

  it('masks the password of a URL', () => {
    expect(redactUrl('postgres://positions:s3cret@db:5432/positions')).toBe('postgres://positions:***@db:5432/positions');
    expect(redactUrl('postgres://db/positions')).toBe('postgres://db/positions');
  });
});
