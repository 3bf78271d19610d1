/**
 * Idempotency keys without a multi-stream transaction. See docs/decisions/0004-kurrentdb.md.
 *
 * A key is claimed by appending an `IdempotencyKeyClaimed` event to its own stream,
 * `<namespace>idempotency-<sha256(key)>`, with an expected stream state: KurrentDB lets exactly
 * one of several racing claims through, the others get a wrong-expected-version and report
 * `IdempotencyKeyTaken`. Only the holder then appends the events. The claim names the ids of
 * those events, so anyone can tell a finished claim (its events are in the stream) from a
 * pending one. A claim whose append was refused is released (`IdempotencyKeyReleased`); a
 * claim left pending by a crash or a lost connection is superseded once its lease has run out
 * and its events are still missing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AppendStreamState, EventData, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { NO_STREAM } from '@kurrent/kurrentdb-client';
import { ExpectedPosition, IdempotencyClaim, IdempotencyKeyTaken, IdempotentAppend, NewEvent, StoredEvent } from '../event-store.port';
import { KurrentClient } from './kurrentdb-client';
import { CLAIM_STREAM_PREFIX, streamNameOf } from './kurrentdb-envelope';
import { classifyKurrentError, toStoreError } from './kurrentdb-errors';
import { readStreamEvents, within } from './kurrentdb-reads';

export const CLAIMED = 'IdempotencyKeyClaimed';
export const RELEASED = 'IdempotencyKeyReleased';

export interface ClaimData {
  key: string;
  requestHash: string;
  streamId: string;
  eventIds: string[];
  /** The append's expected position: its events follow it. Absent in claims written before it was recorded. */
  expected?: ExpectedPosition;
  /** Wall-clock time of the claim, for the lease (not the record's clock, which tests move). */
  claimedAtMs: number;
}

export type ClaimState = { kind: 'free'; streamState: AppendStreamState } | { kind: 'claimed'; revision: bigint; claim: ClaimData };

/** A claim this process holds: where to release it. */
export interface HeldClaim {
  streamName: string;
  revision: bigint;
}

export interface ClaimsOptions {
  namespace: string;
  /** How long a pending claim blocks its key; must exceed the longest append plus clock skew. */
  leaseMs: number;
  now: () => number;
  /** How long one call may wait for the server. */
  timeoutMs: number;
}

/** Fixed namespace of the name-based (version 5) event ids below; never change it. */
const EVENT_ID_NAMESPACE = Buffer.from('458d667b408044b3af0a67cc814a4909', 'hex');

/**
 * A name-based UUID (RFC 4122 version 5: SHA-1 of a namespace and the name) for the
 * `index`th event appended under `key`. A second write of the same request's events thus
 * carries the same ids, which KurrentDB's idempotent-write check and `find` both recognise.
 */
export function idempotentEventId(namespace: string, key: string, index: number): string {
  return uuidV5(EVENT_ID_NAMESPACE, JSON.stringify([namespace, key, index]));
}

/** RFC 4122 section 4.3: the first 16 bytes of SHA-1(namespace, name), with version 5 and the RFC variant. */
export function uuidV5(namespace: Buffer, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function claimStreamName(namespace: string, key: string): string {
  return streamNameOf(namespace, `${CLAIM_STREAM_PREFIX}${createHash('sha256').update(key).digest('hex')}`);
}

export class IdempotencyClaims {
  constructor(
    private readonly client: KurrentClient,
    /** The store's domain events of a stream (namespace applied). */
    private readonly readEvents: (streamId: string) => Promise<StoredEvent[]>,
    private readonly options: ClaimsOptions,
    /** The events of an append, looked up by id after its expected position (KurrentDbLog.findWritten). */
    private readonly findWritten?: (streamId: string, eventIds: string[], expected: ExpectedPosition) => Promise<StoredEvent[] | null>,
  ) {}

  /** `events` with a derived id for each event that brings none (given ids are kept, as for imports). */
  withEventIds(key: string, events: readonly NewEvent[]): NewEvent[] {
    return events.map((event, i) => ({ ...event, eventId: event.eventId ?? idempotentEventId(this.options.namespace, key, i) }));
  }

  /** Claims `claim.key` for an append of `eventIds` to `streamId`, or throws IdempotencyKeyTaken. */
  async acquire(claim: IdempotencyClaim, streamId: string, eventIds: string[], expected?: ExpectedPosition): Promise<HeldClaim> {
    const streamName = claimStreamName(this.options.namespace, claim.key);
    const state = await this.state(streamName);
    if (state.kind === 'claimed' && !(await this.abandoned(state.claim))) throw new IdempotencyKeyTaken(claim.key);
    // An abandoned claim is superseded in place: expecting its revision lets one successor win.
    const streamState = state.kind === 'claimed' ? state.revision : state.streamState;
    const data: ClaimData = { ...claim, streamId, eventIds, ...(expected === undefined ? {} : { expected }), claimedAtMs: this.options.now() };
    try {
      const appended = this.client.appendToStream(streamName, [claimEvent(CLAIMED, data)], { streamState });
      const { nextExpectedRevision } = await within(appended, this.options.timeoutMs);
      return { streamName, revision: nextExpectedRevision };
    } catch (error) {
      if (classifyKurrentError(error).kind === 'conflict') throw new IdempotencyKeyTaken(claim.key);
      throw toStoreError(error, `claim an idempotency key in stream ${streamName}`);
    }
  }

  /**
   * Gives the key back when the append certainly wrote nothing (refused by the server, or never
   * sent), so a corrected retry can use it at once. Best effort: if this fails too, the claim
   * stays pending until its lease runs out.
   */
  async release(held: HeldClaim): Promise<void> {
    try {
      await within(this.client.appendToStream(held.streamName, [claimEvent(RELEASED, {})], { streamState: held.revision }), this.options.timeoutMs);
    } catch {
      // the lease covers it
    }
  }

  /** The finished append that claimed `key`; null when none did or it has not finished. */
  async find(key: string): Promise<IdempotentAppend | null> {
    const state = await this.state(claimStreamName(this.options.namespace, key));
    if (state.kind !== 'claimed' || state.claim.key !== key) return null;
    const events = await this.eventsOf(state.claim);
    return events && { key, requestHash: state.claim.requestHash, streamId: state.claim.streamId, events };
  }

  async state(streamName: string): Promise<ClaimState> {
    const [last] = await readStreamEvents(this.client, streamName, { backwards: true, maxCount: 1 }, this.options.timeoutMs).catch(
      (error: unknown) => Promise.reject(toStoreError(error, `read idempotency claim ${streamName}`)),
    );
    if (!last?.event) return { kind: 'free', streamState: NO_STREAM };
    const { type, revision } = last.event;
    if (type === RELEASED) return { kind: 'free', streamState: revision };
    if (type === CLAIMED) return { kind: 'claimed', revision, claim: parseClaim(last, streamName) };
    throw new Error(`unexpected event ${type} in idempotency claim stream ${streamName}`);
  }

  /** Pending past its lease: no append can still be in flight, and its events never arrived. */
  private async abandoned(claim: ClaimData): Promise<boolean> {
    if (this.options.now() - claim.claimedAtMs <= this.options.leaseMs) return false;
    return (await this.eventsOf(claim)) === null;
  }

  /**
   * The claim's events in stream order, or null while they are not (all) there: looked up where
   * the claimed append put them, not by reading the whole stream.
   */
  private async eventsOf(claim: ClaimData): Promise<StoredEvent[] | null> {
    if (claim.expected !== undefined && this.findWritten) return this.findWritten(claim.streamId, claim.eventIds, claim.expected);
    const ids = new Set(claim.eventIds);
    const events = (await this.readEvents(claim.streamId)).filter((event) => ids.has(event.eventId));
    return events.length === ids.size ? events : null;
  }
}

function claimEvent(type: string, data: ClaimData | Record<string, never>): EventData {
  // A fresh id for every attempt: two racers must never look like one idempotent retry to the server.
  return { id: randomUUID(), contentType: 'application/json', type, data: { ...data }, metadata: undefined };
}

function parseClaim(resolved: ResolvedEvent, streamName: string): ClaimData {
  const data = resolved.event?.data as Partial<ClaimData> | undefined;
  const valid =
    typeof data?.key === 'string' &&
    typeof data.requestHash === 'string' &&
    typeof data.streamId === 'string' &&
    Array.isArray(data.eventIds) &&
    data.eventIds.every((id) => typeof id === 'string') &&
    typeof data.claimedAtMs === 'number';
  if (!valid) throw new Error(`malformed idempotency claim in stream ${streamName}`);
  return data as ClaimData;
}
