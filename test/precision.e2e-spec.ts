import { actorBody, affiliationBody, sanctionsReliefBody, statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, movableClock, ok, TOPIC } from './support/world';

/*
 * Dates as the sources give them, over HTTP: the seed article's statements recorded with the
 * ranges it gives ("last week", "earlier this week"), then the answers that follow from them.
 */

const LAST_WEEK = '2025-02-17/2025-02-23';
const EARLIER_THIS_WEEK = '2025-02-24/2025-02-25';

describe('dates as the sources give them (the seed article with its ranges)', () => {
  const clock = movableClock('2025-02-26T12:00:00Z');
  let service: TestService;
  const ids: Record<string, string> = {};

  const say = async (key: string, actorId: string, stance: string, statedOn: string, extra: Record<string, unknown> = {}) => {
    const answer = await ok(service.post('/api/statements', statementBody({ actorId, topicId: TOPIC, stance, statedOn, ...extra })));
    ids[key] = answer.body.statementId;
  };
  const position = (actorId: string, at: string) => service.get(`/api/actors/${actorId}/positions/${TOPIC}?at=${at}`);
  const voice = (orgId: string, at: string) => service.get(`/api/actors/${orgId}/voice/${TOPIC}?at=${at}`);
  const stance = (code: string) => expect.objectContaining({ code });

  beforeAll(async () => {
    service = await startService({ clock: clock.now });
    for (const actor of ['usGovernment', 'eu', 'trump', 'rubio', 'dombrovskis'] as const) await ok(service.post('/api/actors', actorBody(actor)));
    for (const [actor, path] of [['rubio', 'marco-rubio'], ['trump', 'donald-trump'], ['dombrovskis', 'valdis-dombrovskis']] as const) {
      await ok(service.post(`/api/actors/${path}/affiliations`, affiliationBody(actor)));
    }
    await ok(service.post('/api/topics', sanctionsReliefBody()));
    await say('rubio', 'marco-rubio', 'concessions-needed', LAST_WEEK, { statedOnWording: 'last week', onBehalfOf: 'us-government' });
    await say('dombrovskis', 'valdis-dombrovskis', 'no-lifting', LAST_WEEK, { statedOnWording: 'last week', onBehalfOf: 'european-union' });
    await say('eu', 'european-union', 'tighten', EARLIER_THIS_WEEK, { statedOnWording: 'earlier this week' });
    await say('trump', 'donald-trump', 'not-yet', '2025-02-26', { onBehalfOf: 'us-government' });
  });
  afterAll(() => service.close());

  it('answers a statement with its wording and its range', async () => {
    const { body } = await service.get(`/api/statements/${ids.rubio}`);
    expect(body).toMatchObject({ statedOn: LAST_WEEK, statedOnWording: 'last week', earliest: '2025-02-17T00:00:00.000Z', latest: '2025-02-23T00:00:00.000Z' });
    expect((await service.get(`/api/statements/${ids.trump}`)).body).toMatchObject({ statedOnWording: null, earliest: '2025-02-26T00:00:00.000Z', latest: '2025-02-26T00:00:00.000Z' });
  });

  it("answers that the US government's voice on 2025-02-19 is uncertain: no certain position, possibly Rubio's concessions-needed", async () => {
    const { status, body } = await voice('us-government', '2025-02-19');
    expect(status).toBe(200);
    expect(body).toMatchObject({ stance: null, since: null, statement: null, certainty: 'uncertain' });
    expect(body.alternatives).toEqual([{ stance: { code: 'concessions-needed', label: expect.any(String), score: 1 }, statementId: ids.rubio }]);
  });

  it('is certain on the last day of a range, and not on the day before', async () => {
    expect((await position('marco-rubio', '2025-02-22')).body).toMatchObject({ stance: null, certainty: 'uncertain', alternatives: [{ stance: stance('concessions-needed'), statementId: ids.rubio }] });
    const lastDay = (await position('marco-rubio', '2025-02-23')).body;
    expect(lastDay).toMatchObject({ stance: stance('concessions-needed'), since: LAST_WEEK, certainty: 'certain', alternatives: [] });
    expect(lastDay.statement).toMatchObject({ statementId: ids.rubio, statedOnWording: 'last week', earliest: '2025-02-17T00:00:00.000Z', latest: '2025-02-23T00:00:00.000Z' });
    expect((await position('valdis-dombrovskis', '2025-02-16')).body).toMatchObject({ stance: null, certainty: 'certain', alternatives: [] });
  });

  it('answers days exactly as before: certain, with no alternatives', async () => {
    expect((await position('donald-trump', '2025-02-26')).body).toMatchObject({ stance: stance('not-yet'), since: '2025-02-26', certainty: 'certain', alternatives: [] });
  });

  it('gives alternatives where ranges overlap, and timelines by earliest', async () => {
    await say('rubio-later', 'marco-rubio', 'not-yet', '2025-02-20/2025-02-26', { statedOnWording: 'this past week' });
    const overlap = (await position('marco-rubio', '2025-02-24')).body;
    expect(overlap).toMatchObject({ stance: stance('concessions-needed'), certainty: 'uncertain', alternatives: [{ stance: stance('not-yet'), statementId: ids['rubio-later'] }] });
    // Both certainly made by 2025-02-26, but their ranges overlap: which came last the sources do not say.
    expect((await position('marco-rubio', '2025-02-26')).body).toMatchObject({
      stance: stance('not-yet'),
      certainty: 'uncertain',
      alternatives: [{ stance: stance('concessions-needed'), statementId: ids.rubio }],
    });
    await say('rubio-day', 'marco-rubio', 'tighten', '2025-02-18');
    const timeline = (await service.get(`/api/actors/marco-rubio/positions/${TOPIC}/timeline`)).body.entries;
    expect(timeline.map((e: { statementId: string; earliest: string; latest: string }) => [e.statementId, e.earliest, e.latest])).toEqual([
      [ids.rubio, '2025-02-17T00:00:00.000Z', '2025-02-23T00:00:00.000Z'],
      [ids['rubio-day'], '2025-02-18T00:00:00.000Z', '2025-02-18T00:00:00.000Z'],
      [ids['rubio-later'], '2025-02-20T00:00:00.000Z', '2025-02-26T00:00:00.000Z'],
    ]);
  });

  it('marks uncertain positions in the landscape and on each side of a change', async () => {
    const landscape = (await service.get(`/api/topics/${TOPIC}/positions?at=2025-02-24`)).body.positions;
    expect(landscape.find((p: { actorId: string }) => p.actorId === 'european-union')).toBeUndefined();
    expect(landscape.find((p: { actorId: string }) => p.actorId === 'valdis-dombrovskis')).toMatchObject({ stance: stance('no-lifting'), since: LAST_WEEK, certainty: 'certain', alternatives: [] });
    const changes = (await service.get(`/api/topics/${TOPIC}/changes?from=2025-02-24&to=2025-02-25`)).body.changes;
    expect(changes.find((c: { actorId: string }) => c.actorId === 'european-union')).toMatchObject({
      before: null,
      after: stance('tighten'),
      beforeCertainty: 'uncertain',
      beforeAlternatives: [{ stance: stance('tighten'), statementId: ids.eu }],
      afterCertainty: 'certain',
      afterAlternatives: [],
    });
  });

  it('counts the certain stances per day: a "last week" statement counts from the last day of the week', async () => {
    const days = (await service.get(`/api/topics/${TOPIC}/stance-counts?from=2025-02-22&to=2025-02-23`)).body.days;
    expect(days[0]).toMatchObject({ date: '2025-02-22' });
    expect(days[0].counts['no-lifting']).toBe(0);
    expect(days[1].counts['no-lifting']).toBe(1);
  });

  it.each([
    ['2025-13', 400],
    ['2025-02-30/2025-03-01', 400],
    ['2025-02-20/2025-02-10', 400],
    ['2025-02-17/..', 400],
    ['2025-02-26T12:00:00.1239Z', 400],
    ['2025-02-27/2025-03-01', 422],
    ['2025-03', 422],
  ])('refuses statedOn %s with %i and writes nothing', async (statedOn, status) => {
    await expectNothingWritten(service, async () => {
      const answer = await service.post('/api/statements', statementBody({ actorId: 'marco-rubio', topicId: TOPIC, stance: 'not-yet', statedOn }));
      expectError(answer, status, 'statedOn');
      const corrected = await service.post(`/api/statements/${ids.dombrovskis}/corrections`, { changes: { statedOn }, reason: 'redated' }, 'editor');
      expectError(corrected, status, 'changes.statedOn');
    }, [['marco-rubio', TOPIC]]);
  });

  it('refuses a blank or too long statedOnWording (400), and counts characters as people do', async () => {
    const body = (statedOnWording: string) => statementBody({ actorId: 'marco-rubio', topicId: TOPIC, stance: 'not-yet', statedOn: '2025-02-20', statedOnWording });
    await expectNothingWritten(service, async () => {
      expectError(await service.post('/api/statements', body(' ')), 400, 'statedOnWording');
      expectError(await service.post('/api/statements', body('x'.repeat(201))), 400, 'statedOnWording');
    }, [['marco-rubio', TOPIC]]);
    await ok(service.post('/api/statements', body('🙂'.repeat(200))));
  });

  it('corrects statedOn and its wording together', async () => {
    await ok(service.post(`/api/statements/${ids.dombrovskis}/corrections`, { changes: { statedOn: '2025-02-20', statedOnWording: 'on Thursday' }, reason: 'transcript' }, 'editor'));
    expect((await service.get(`/api/statements/${ids.dombrovskis}`)).body).toMatchObject({ statedOn: '2025-02-20', statedOnWording: 'on Thursday', earliest: '2025-02-20T00:00:00.000Z', latest: '2025-02-20T00:00:00.000Z' });
  });
});
