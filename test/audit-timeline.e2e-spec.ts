import type { TestService } from './support/app-harness';
import { correct, expectError, freshPerson, ok, say, retract, SCORE, startWithTopic, timelineOf, TOPIC } from './support/world';

const ENTRY_KEYS = ['direction', 'shift', 'stance', 'statedOn', 'statementId', 'summary'];

/** Each entry as `code shift direction`, the way the table of docs/domain.md, "Shifts", reads. */
async function shifts(service: TestService, actor: string, query = ''): Promise<string[]> {
  const answer = await ok(timelineOf(service, actor, query), 200);
  return answer.body.entries.map((e: { stance: { code: string }; shift: string; direction: string | null }) => `${e.stance.code} ${e.shift} ${e.direction}`);
}

describe('audit: GET /api/actors/{a}/positions/{t}/timeline', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startWithTopic();
    // Another code with the score of `tighten` (-2), for a no-flip between two codes.
    await ok(service.post(`/api/topics/${TOPIC}/stances`, { code: 'freeze-assets', label: 'Freeze Russian state assets', score: -2 }));
  });
  afterAll(() => service.close());

  it('answers {actorId, topicId, entries} with entries of exactly the documented fields, in statedOn order', async () => {
    const actor = await freshPerson(service);
    const b = await say(service, actor, 'not-yet', '2025-02-26', { summary: 'B' });
    const a = await say(service, actor, 'concessions-needed', '2025-02-18', { summary: 'A' });
    const c = await say(service, actor, 'tighten', '2025-02-26T12:00:00Z', { summary: 'C' });
    const answer = await ok(timelineOf(service, actor), 200);
    expect(answer.body).toMatchObject({ actorId: actor, topicId: TOPIC });
    for (const entry of answer.body.entries) expect(Object.keys(entry).sort()).toEqual(ENTRY_KEYS);
    expect(answer.body.entries).toEqual([
      { statementId: a.id, statedOn: '2025-02-18', stance: { code: 'concessions-needed', label: expect.any(String), score: 1 }, summary: 'A', shift: 'first', direction: null },
      { statementId: b.id, statedOn: '2025-02-26', stance: { code: 'not-yet', label: expect.any(String), score: 0 }, summary: 'B', shift: 'half-flip', direction: 'away' },
      { statementId: c.id, statedOn: '2025-02-26T12:00:00Z', stance: { code: 'tighten', label: 'Add further restrictions', score: -2 }, summary: 'C', shift: 'full-flop', direction: 'away' },
    ]);
  });

  it('classifies every shift of the domain’s table, toward and away', async () => {
    const actor = await freshPerson(service);
    const sequence: (keyof typeof SCORE | 'freeze-assets')[] = [
      'not-yet', // first
      'not-yet', // no-flip: a restatement
      'concessions-needed', // half-flip toward (+1)
      'tighten', // full-flop away (-3)
      'freeze-assets', // no-flip: another code with the same score (-2)
      'no-lifting', // half-flip toward (+1)
      'lift-unconditionally', // full-flop toward (+3)
      'concessions-needed', // half-flip away (-1)
      'no-lifting', // full-flop away (-2, exactly 2)
      'concessions-needed', // full-flop toward (+2)
    ];
    // Recorded in reverse, so the order can only come from statedOn.
    for (let i = sequence.length - 1; i >= 0; i--) await say(service, actor, sequence[i], `2025-01-${String(10 + i).padStart(2, '0')}`);
    expect(await shifts(service, actor)).toEqual([
      'not-yet first null',
      'not-yet no-flip null',
      'concessions-needed half-flip toward',
      'tighten full-flop away',
      'freeze-assets no-flip null',
      'no-lifting half-flip toward',
      'lift-unconditionally full-flop toward',
      'concessions-needed half-flip away',
      'no-lifting full-flop away',
      'concessions-needed full-flop toward',
    ]);
  });

  it('leaves retracted statements out and classes the next one against the one before it that remains', async () => {
    const actor = await freshPerson(service);
    const first = await say(service, actor, 'tighten', '2025-01-10');
    const middle = await say(service, actor, 'no-lifting', '2025-01-20');
    const last = await say(service, actor, 'lift-unconditionally', '2025-01-30');
    expect(await shifts(service, actor)).toEqual(['tighten first null', 'no-lifting half-flip toward', 'lift-unconditionally full-flop toward']);
    await ok(retract(service, middle.id));
    const answer = await ok(timelineOf(service, actor), 200);
    expect(answer.body.entries.map((e: { statementId: string }) => e.statementId)).toEqual([first.id, last.id]);
    expect(await shifts(service, actor)).toEqual(['tighten first null', 'lift-unconditionally full-flop toward']);
    await ok(retract(service, first.id));
    expect(await shifts(service, actor)).toEqual(['lift-unconditionally first null']);
  });

  it('follows corrections: a new stance reclassifies, a new statedOn reorders', async () => {
    const actor = await freshPerson(service);
    const a = await say(service, actor, 'not-yet', '2025-01-10');
    const b = await say(service, actor, 'concessions-needed', '2025-01-20');
    await ok(correct(service, b.id, { stance: 'tighten' }));
    expect(await shifts(service, actor)).toEqual(['not-yet first null', 'tighten full-flop away']);
    await ok(correct(service, a.id, { statedOn: '2025-01-25', summary: 'Moved' }));
    const answer = await ok(timelineOf(service, actor), 200);
    expect(answer.body.entries.map((e: { statementId: string; statedOn: string }) => [e.statementId, e.statedOn])).toEqual([
      [b.id, '2025-01-20'],
      [a.id, '2025-01-25'],
    ]);
    expect(answer.body.entries[1].summary).toBe('Moved');
    expect(await shifts(service, actor)).toEqual(['tighten first null', 'not-yet full-flop toward']);
  });

  it('orders statements stated at the same instant by recording, so the last entry is the one the position rests on', async () => {
    const actor = await freshPerson(service);
    const first = await say(service, actor, 'tighten', '2025-02-01T01:00:00+01:00');
    const second = await say(service, actor, 'not-yet', '2025-02-01');
    const answer = await ok(timelineOf(service, actor), 200);
    expect(answer.body.entries.map((e: { statementId: string }) => e.statementId)).toEqual([first.id, second.id]);
    expect(answer.body.entries[1]).toMatchObject({ shift: 'full-flop', direction: 'toward' });
    const position = await ok(service.get(`/api/actors/${actor}/positions/${TOPIC}?at=2025-02-01`), 200);
    expect(position.body.statement.statementId).toBe(second.id);
  });

  it('answers an empty list for an actor with no statement on the topic', async () => {
    const actor = await freshPerson(service);
    expect((await ok(timelineOf(service, actor), 200)).body).toMatchObject({ actorId: actor, topicId: TOPIC, entries: [] });
  });

  it('answers 404 for an unknown actor or topic and 400 for a malformed one or an unknown parameter', async () => {
    const actor = await freshPerson(service);
    expectError(await timelineOf(service, 'nobody-at-all'), 404, 'actorId');
    expectError(await service.get(`/api/actors/${actor}/positions/no-such-topic/timeline`), 404, 'topicId');
    expectError(await timelineOf(service, 'Not_A_Slug'), 400, 'actorId');
    expectError(await timelineOf(service, actor, 'at=2025-01-01'), 400, 'at');
  });
});
