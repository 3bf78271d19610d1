/**
 * The port's global `position` (one positive integer per event) from KurrentDB's log
 * positions, and back. See docs/decisions/0004-kurrentdb.md.
 *
 * KurrentDB places an event at `{commit, prepare}`: byte offsets in its transaction log.
 * Every append over gRPC (single events, batches, multi-stream appends) is an implicit
 * transaction: each event is its own prepare record flagged as committed, and $all reports it
 * at `commit = prepare = the offset of that record` (the server's AllReader and IndexCommitter
 * use the prepare's LogPosition as the commit position). The events of one batch therefore
 * sit at distinct, increasing offsets, in $all order, and `prepare + 1` is a positive integer
 * that strictly increases along $all. An offset is below 2^53 until the log holds 8 PiB.
 *
 * Only explicit transactions (the legacy TCP API's StartTransaction, gone from KurrentDB)
 * share one commit position among several prepares, and interleave with other writes: their
 * prepare offsets do not follow $all order, so such events are refused with a clear error
 * instead of being given positions that would break the port's ordering.
 */
import type { Position, ReadPosition } from '@kurrent/kurrentdb-client';
import { START } from '@kurrent/kurrentdb-client';

/** An event the single-number mapping cannot place (written in a legacy explicit transaction). */
export class UnsupportedLogPositionError extends Error {
  constructor(readonly logPosition: Position, detail: string) {
    super(`KurrentDB log position {commit: ${logPosition.commit}, prepare: ${logPosition.prepare}} ${detail}`);
    this.name = 'UnsupportedLogPositionError';
  }
}

/** The port position of the event KurrentDB reports at `logPosition`. */
export function toPortPosition(logPosition: Position): number {
  const { commit, prepare } = logPosition;
  if (commit !== prepare) {
    throw new UnsupportedLogPositionError(
      logPosition,
      'belongs to an explicit transaction (legacy TCP API); this adapter only reads events appended over gRPC',
    );
  }
  if (prepare < 0n || prepare >= BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnsupportedLogPositionError(logPosition, 'does not fit in a JavaScript number');
  }
  return Number(prepare) + 1;
}

/** The KurrentDB log position of the event the port knows at `position`. */
export function toLogPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 1) {
    throw new RangeError(`a global position is a positive integer, got ${position}`);
  }
  const offset = BigInt(position - 1);
  return { commit: offset, prepare: offset };
}

/**
 * Where a forward read of $all must start to return the events after `after`.
 * KurrentDB reads forward *inclusively* from a position, so the read starts at the event
 * at `after` itself and the caller drops it (positions `<= after`). Starting on an event's
 * own record keeps the server's cursor on a record boundary, which it requires.
 */
export function readPositionAfter(after: number): ReadPosition {
  return after === 0 ? START : toLogPosition(after);
}
