import { startService, type TestService } from './support/app-harness';
import { actorBody, affiliationBody, sanctionsReliefBody, statementBody } from '@positions/testing';

describe('probe', () => {
  let s: TestService;
  beforeAll(async () => { s = await startService(); });
  afterAll(() => s.close());
  it('probes', async () => {
    const out: Record<string, unknown> = {};
    const log = (k: string, r: any) => { out[k] = { status: r.status, body: r.body, etag: r.headers?.etag }; };
    await s.post('/api/actors', actorBody('usGovernment'));
    await s.post('/api/actors', actorBody('rubio'));
    await s.post('/api/actors', actorBody('trump'));
    await s.post('/api/topics', sanctionsReliefBody());
    const t0 = Date.now();
    const codes = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => s.post('/api/statements', statementBody({ stance: codes[i % 5], statedOn: `2025-01-${String(i + 1).padStart(2, '0')}` }))));
    log('par', { status: Date.now() - t0, body: rs.map((r) => [r.status, r.body.position, r.headers.etag, r.body.message]) });
    log('affperson', await s.post('/api/actors/marco-rubio/affiliations', affiliationBody('rubio', { organizationId: 'donald-trump' })));
    log('aff230', await s.post('/api/actors/marco-rubio/affiliations', affiliationBody('rubio', { from: '2025-02-30' })));
    log('affbefore', await s.post('/api/actors/marco-rubio/affiliations', affiliationBody('rubio', { until: '2025-01-01' })));
    log('aff', await s.post('/api/actors/marco-rubio/affiliations', affiliationBody('rubio')));
    log('endbefore', await s.post('/api/actors/marco-rubio/affiliations/end', { organizationId: 'us-government', role: 'Secretary of State', until: '2024-01-01' }));
    log('end', await s.post('/api/actors/marco-rubio/affiliations/end', { organizationId: 'us-government', role: 'Secretary of State', until: '2025-12-31' }));
    log('pathbad', await s.get('/api/actors/Marco_Rubio'));
    log('pathbadpos', await s.get('/api/actors/marco-rubio/positions/Bad_Topic'));
    log('unkactorpos', await s.get('/api/actors/nobody/positions/russia-sanctions-relief'));
    log('bodybadid', await s.post('/api/statements', statementBody({ actorId: 'Marco Rubio' })));
    log('onbehalfunknown', await s.post('/api/statements', statementBody({ onBehalfOf: 'nobody' })));
    log('onbehalfnoaff', await s.post('/api/statements', statementBody({ onBehalfOf: 'us-government', statedOn: '2024-06-01' })));
    log('wd', await s.post('/api/actors', actorBody('putin', { wikidataId: 'Q7747' })));
    log('dupcodes', await s.post('/api/topics', sanctionsReliefBody({ id: 'x', stances: [{ code: 'a', label: 'A', score: 1 }, { code: 'a', label: 'B', score: 0 }] })));
    log('stanceTaken', await s.post('/api/topics/russia-sanctions-relief/stances', { code: 'tighten', label: 'x', score: 0 }));
    log('wrongtype', await s.post('/api/topics/russia-sanctions-relief/stances', { code: 'z', label: 'x', score: '1' }));
    log('future', await s.post('/api/statements', statementBody({ statedOn: '2999-01-01' })));
    log('ifmatchbad', await s.post('/api/statements', statementBody(), 'recorder', { 'if-match': 'abc' }));
    console.log(JSON.stringify(out, null, 0).replace(/\},"/g, '},\n"'));
  });
});
