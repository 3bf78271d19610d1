import fc from 'fast-check';
import { type Answer, startService, type TestService } from './support/app-harness';
import { disagreements } from './support/reference';

/*
 * The other half of the bad-input tests: generated VALID commands (every field within the API's
 * bounds, any Unicode text, both time forms, optional fields present or not) always succeed, and
 * read back as sent. One run is a whole small world: an organization, a person, a topic, an extra
 * stance, an affiliation, two statements (one for the organization), a correction, a retraction
 * and the end of the affiliation.
 */

jest.setTimeout(60_000);

const SEED = 20_251_129;
const DAY = 86_400_000;
const TODAY = Math.floor(Date.now() / DAY);
const FIRST_DAY = Math.floor(Date.parse('0001-01-01T00:00:00Z') / DAY);

// Any UTF-16 code unit (lone surrogates and control characters included), or readable Unicode.
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = (max: number) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
      { weight: 2, arbitrary: fc.string({ unit: anyUnit, minLength: 1, maxLength: 30 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: max, maxLength: max }) },
    )
    .filter((s) => s.trim().length > 0 && s.length <= max);
const slug = fc.oneof(fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/), fc.constant('x'.repeat(64)));
let serial = 0;
/** A slug no other run uses: the generated one with a serial number, at most 64 characters. */
const uniqueSlug = slug.map((s) => {
  const suffix = `-${++serial}`;
  return s.slice(0, 64 - suffix.length).replace(/-+$/, '') + suffix;
});
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const pastDay = fc.integer({ min: FIRST_DAY, max: TODAY - 2 });
/** A date-time with seconds and an offset (±14:00), milliseconds or not, naming an instant of `day`. */
const dateTimeOn = (day: number) =>
  fc.tuple(fc.integer({ min: 0, max: DAY - 1 }), fc.integer({ min: -48, max: 56 }), fc.boolean()).map(([ms, quarter, withMs]) => {
    const offset = quarter * 15;
    const local = new Date(day * DAY + ms + offset * 60_000).toISOString().slice(0, withMs ? 23 : 19);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });
const statedOn = pastDay.chain((day) => fc.oneof(fc.constant(dateOf(day)), dateTimeOn(day)));
const url = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }).filter((u) => u.length <= 2048);
const source = fc
  .record({ url, title: text(200), publisher: text(200), publishedOn: pastDay.map(dateOf) }, { requiredKeys: [] })
  .filter((s) => s.url !== undefined || s.title !== undefined);
const actor = (kinds: string[]) =>
  fc.record(
    { id: uniqueSlug, name: text(200), kind: fc.constantFrom(...kinds), aliases: fc.array(text(200), { maxLength: 20 }), wikidataId: fc.stringMatching(/^Q[1-9][0-9]{0,11}$/) },
    { requiredKeys: ['id', 'name', 'kind'] },
  );
const stance = fc.record({ code: slug, label: text(200), score: fc.integer({ min: -2, max: 2 }) });
const topic = fc.record({ id: uniqueSlug, title: text(200), proposition: text(500), stances: fc.uniqueArray(stance, { minLength: 1, maxLength: 19, selector: (s) => s.code }) });
const affiliation = fc
  .record({ role: text(200), from: pastDay, length: fc.option(fc.integer({ min: 0, max: 20_000 })), speaksFor: fc.option(fc.boolean()) })
  .map(({ role, from, length, speaksFor }) => ({ role, fromDay: from, untilDay: length === null ? null : from + length, speaksFor }));

const world = fc
  .record({ org: actor(['government', 'organization']), person: actor(['person']), topic, extra: stance, affiliation })
  .filter(({ topic, extra }) => !topic.stances.some((s) => s.code === extra.code))
  .chain((w) => {
    const codes = [...w.topic.stances, w.extra].map((s) => s.code);
    const last = Math.min(w.affiliation.untilDay ?? TODAY - 2, TODAY - 2);
    const statement = { stance: fc.constantFrom(...codes), summary: text(2000), quote: fc.option(text(5000)), statedOn, source };
    return fc.record({
      first: fc.record(statement),
      forOrg: fc.record({ ...statement, statedOn: fc.integer({ min: w.affiliation.fromDay, max: Math.max(w.affiliation.fromDay, last) }).map(dateOf) }),
      changes: fc.record({ stance: fc.constantFrom(...codes), summary: text(1988), quote: text(5000), statedOn, source }, { requiredKeys: ['summary'] }),
      reasons: fc.tuple(text(2000), text(2000)),
      endDay: fc.integer({ min: w.affiliation.fromDay, max: w.affiliation.fromDay + 20_000 }),
    }).map((rest) => ({ ...w, ...rest }));
  });

let service: TestService;
beforeAll(async () => (service = await startService({ env: { RATE_LIMIT: '0' } })));
afterAll(() => service.close());

async function created(answer: Promise<Answer>, status = 201): Promise<Answer> {
  const result = await answer;
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body).slice(0, 500)}`);
  return result;
}

const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

describe('reliability: generated valid commands always succeed', () => {
  it('accepts every generated world, command by command, and reads each back as sent', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        for (const body of [w.org, w.person]) {
          const answer = await created(service.post('/api/actors', body));
          expect(answer.body).toEqual({ aliases: [], wikidataId: null, ...body, affiliations: [] });
        }
        expect((await created(service.post('/api/topics', w.topic))).body).toEqual(w.topic);
        expect((await created(service.post(`/api/topics/${w.topic.id}/stances`, w.extra))).body.stances).toEqual([...w.topic.stances, w.extra]);
        const { role, fromDay, untilDay, speaksFor } = w.affiliation;
        const began = { organizationId: w.org.id, role, from: dateOf(fromDay), ...(untilDay !== null && { until: dateOf(untilDay) }), ...(speaksFor !== null && { speaksFor }) };
        await created(service.post(`/api/actors/${w.person.id}/affiliations`, began));

        const post = (fields: object) => created(service.post('/api/statements', { actorId: w.person.id, topicId: w.topic.id, ...withoutNulls(fields) }));
        const first = (await post(w.first)).body.statementId;
        const forOrg = (await post({ ...w.forOrg, onBehalfOf: w.org.id })).body.statementId;
        const changes = { ...w.changes, summary: `${w.changes.summary} (corrected)` };
        await created(service.post(`/api/statements/${first}/corrections`, { changes, reason: w.reasons[0] }, 'editor'));
        await created(service.post(`/api/statements/${forOrg}/retractions`, { reason: w.reasons[1] }, 'editor'));
        if (untilDay === null) await created(service.post(`/api/actors/${w.person.id}/affiliations/end`, { organizationId: w.org.id, role, until: dateOf(w.endDay) }));

        const corrected = (await created(service.get(`/api/statements/${first}`), 200)).body;
        const expected = { ...withoutNulls(w.first), ...changes };
        expect({ ...corrected, stance: corrected.stance.code }).toMatchObject({ ...expected, quote: expected.quote ?? null, retracted: false });
        expect((await created(service.get(`/api/statements/${forOrg}`), 200)).body).toMatchObject({ retracted: true, onBehalfOf: w.org.id });
        const person = (await created(service.get(`/api/actors/${w.person.id}`), 200)).body;
        expect(person.affiliations).toEqual([{ ...began, until: untilDay === null ? dateOf(w.endDay) : dateOf(untilDay), speaksFor: speaksFor ?? false }]);
      }),
      { seed: SEED, numRuns: 100, endOnFailure: true },
    );
  });

  it('leaves read models that agree with the reference fold over everything the runs wrote', async () => {
    expect(await disagreements(service, { ats: ['1500-01-01', '2000-01-01', new Date().toISOString()], knownAts: [] })).toEqual([]);
  });
});
