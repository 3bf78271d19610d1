import { classifyShift, endInstant, foldStatements, positionAt, type PositionEvent, type Recorded, type StatementState, timelineOf } from '@positions/domain';

/*
 * The read models checked against the log: every answer computed again with the reference
 * fold of libs/domain (positionAt over the events of `/api/events?streamId=...`) and compared
 * with what the service answers. Works over any client that can GET (in-process or a process).
 */

export interface Reader {
  get(path: string, as?: 'reader' | null): Promise<{ status: number; body: any }>;
}

export interface Envelope {
  eventId: string;
  type: string;
  streamId: string;
  streamPosition: number;
  position: number;
  recordedAt: string;
  recordedBy: string;
  data: any;
}

interface Stance {
  code: string;
  label: string;
  score: number;
}

/** The whole log (or one stream, or some types), page by page. */
export async function readLog(reader: Reader, filter = ''): Promise<Envelope[]> {
  const events: Envelope[] = [];
  let after = 0;
  for (;;) {
    const page = await reader.get(`/api/events?after=${after}&limit=1000${filter ? `&${filter}` : ''}`);
    if (page.status !== 200) throw new Error(`GET /api/events answered ${page.status}: ${JSON.stringify(page.body)}`);
    events.push(...page.body.events);
    if (page.body.next === null) return events;
    after = page.body.next;
  }
}

const asRecorded = (events: readonly Envelope[]) =>
  events.map((e) => ({ type: e.type, data: e.data, position: e.position, recordedAt: e.recordedAt })) as Recorded<PositionEvent>[];

const stanceIn = (stances: readonly Stance[], code: string): Stance | null => stances.find((s) => s.code === code) ?? null;

function ref(s: StatementState) {
  return {
    statementId: s.statementId,
    statedOn: s.statedOn,
    statedOnWording: s.statedOnWording ?? null,
    earliest: s.earliest,
    latest: s.latest,
    summary: s.summary,
    quote: s.quote ?? null,
    source: s.source,
    onBehalfOf: s.onBehalfOf ?? null,
    recordedAt: s.recordedAt,
  };
}

/** `GET /api/actors/{a}/positions/{t}` as the reference fold answers it (without the echoed at/knownAt). */
export function expectedPosition(events: readonly Envelope[], stances: readonly Stance[], at: string, knownAt?: string) {
  const answer = positionAt(asRecorded(events), at, knownAt, (code) => stanceIn(stances, code)?.score ?? 0);
  const alternatives = answer.alternatives.map((a) => ({ stance: a.stance === null ? null : stanceIn(stances, a.stance), statementId: a.statementId }));
  const openness = { certainty: answer.certainty, alternatives };
  if (!answer.statement) return { stance: null, since: null, statement: null, ...openness };
  return { stance: stanceIn(stances, answer.stance!), since: answer.since, statement: ref(answer.statement), ...openness };
}

/** The timeline's entries as the reference fold gives them. */
export function expectedTimeline(events: readonly Envelope[], stances: readonly Stance[], knownAtMs?: number) {
  let previous: number | null = null;
  return timelineOf(foldStatements(asRecorded(events), knownAtMs)).map((s) => {
    const stance = stanceIn(stances, s.stance);
    const entry = { statementId: s.statementId, statedOn: s.statedOn, earliest: s.earliest, latest: s.latest, stance, summary: s.summary, ...classifyShift(previous, stance?.score ?? 0) };
    previous = stance?.score ?? 0;
    return entry;
  });
}

export interface Disagreement {
  what: string;
  expected: unknown;
  actual: unknown;
}

/**
 * Compares, for every actor–topic stream of the log, the position at each `at` × `knownAt`,
 * the timeline (now and at each `knownAt`), and each topic's landscape, with the reference fold.
 * `knownAts` default to a few record times taken from the log itself. Returns what disagrees.
 */
export async function disagreements(reader: Reader, options: { ats: string[]; knownAts?: string[] }): Promise<Disagreement[]> {
  const log = await readLog(reader);
  const found: Disagreement[] = [];
  const check = (what: string, expected: unknown, actual: unknown) => {
    if (JSON.stringify(expected) !== JSON.stringify(actual)) found.push({ what, expected, actual });
  };
  const stamps = [...new Set(log.map((e) => e.recordedAt))];
  const knownAts = options.knownAts ?? [stamps[Math.floor(stamps.length / 3)], stamps[Math.floor((2 * stamps.length) / 3)]].filter(Boolean);
  const codebooks = new Map<string, Stance[]>();
  for (const e of log) {
    if (e.type === 'TopicOpened') codebooks.set(e.data.id, [...e.data.stances]);
    if (e.type === 'StanceAdded') codebooks.get(e.streamId.slice('topic-'.length))?.push(e.data);
  }
  const streams = new Map<string, Envelope[]>();
  for (const e of log.filter((event) => event.streamId.startsWith('position-'))) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  const byTopic = new Map<string, { actorId: string; events: Envelope[] }[]>();
  for (const [streamId, fromLog] of streams) {
    const [actorId, topicId] = streamId.slice('position-'.length).split('.');
    const events = await readLog(reader, `streamId=${streamId}`);
    check(`${streamId}: /api/events?streamId= is the log's part`, fromLog, events);
    byTopic.set(topicId, [...(byTopic.get(topicId) ?? []), { actorId, events }]);
    const stances = codebooks.get(topicId) ?? [];
    for (const knownAt of [undefined, ...knownAts]) {
      for (const at of options.ats) {
        const query = `at=${encodeURIComponent(at)}${knownAt ? `&knownAt=${encodeURIComponent(knownAt)}` : ''}`;
        const answer = await reader.get(`/api/actors/${actorId}/positions/${topicId}?${query}`);
        const { stance, since, statement, certainty, alternatives } = answer.body ?? {};
        check(`position ${actorId}/${topicId}?${query}`, expectedPosition(events, stances, at, knownAt), { stance, since, statement, certainty, alternatives });
      }
      const timeline = await reader.get(`/api/actors/${actorId}/positions/${topicId}/timeline${knownAt ? `?knownAt=${encodeURIComponent(knownAt)}` : ''}`);
      check(`timeline ${actorId}/${topicId} knownAt=${knownAt}`, expectedTimeline(events, stances, knownAt ? endInstant(knownAt) : undefined), timeline.body?.entries);
    }
  }
  for (const [topicId, actors] of byTopic) {
    const stances = codebooks.get(topicId) ?? [];
    for (const knownAt of [undefined, ...knownAts]) {
      for (const at of options.ats) {
        const query = `at=${encodeURIComponent(at)}${knownAt ? `&knownAt=${encodeURIComponent(knownAt)}` : ''}`;
        const expected = actors
          .map(({ actorId, events }) => ({ actorId, answer: expectedPosition(events, stances, at, knownAt) }))
          .filter(({ answer }) => answer.statement !== null)
          .sort((a, b) => (a.actorId < b.actorId ? -1 : 1))
          .map(({ actorId, answer }) => ({ actorId, stance: answer.stance, since: answer.since, statementId: answer.statement!.statementId, certainty: answer.certainty, alternatives: answer.alternatives }));
        check(`landscape ${topicId}?${query}`, expected, (await reader.get(`/api/topics/${topicId}/positions?${query}`)).body?.positions);
      }
    }
  }
  return found;
}
