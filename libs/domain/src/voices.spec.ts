import { statedRange } from './stated-on';
import { type Spokesperson, speaksFor, type VoiceStatement, voiceAt } from './voices';

const SCORES: Record<string, number> = { 'lift-unconditionally': 2, 'concessions-needed': 1, 'not-yet': 0, 'no-lifting': -1, tighten: -2 };
const scoreOf = (code: string) => SCORES[code];

let position = 0;
const said = (actorId: string, stance: string, statedOn: string, onBehalfOf?: string): VoiceStatement => ({
  statementId: `${actorId}-${statedOn}-${stance}`,
  actorId,
  stance,
  statedOn,
  ...statedRange(statedOn),
  statedPosition: ++position,
  ...(onBehalfOf && { onBehalfOf }),
});

const US = 'us-government';
const members: Spokesperson[] = [
  { actorId: 'donald-trump', from: '2025-01-20', until: null, speaksFor: true },
  { actorId: 'marco-rubio', from: '2025-01-21', until: null, speaksFor: true },
  { actorId: 'jd-vance', from: '2025-01-20', until: null, speaksFor: false },
];

describe('voiceAt: an organization speaks itself and through its spokespeople', () => {
  const rubio = said('marco-rubio', 'concessions-needed', '2025-02-18');
  const trump = said('donald-trump', 'not-yet', '2025-02-26', US);

  it('given Rubio then Trump, the US voice moves from concessions-needed to not-yet, with the deciding speaker', () => {
    expect(voiceAt(US, [rubio, trump], members, '2025-02-19', scoreOf)).toMatchObject({ winner: rubio, since: '2025-02-18' });
    const now = voiceAt(US, [rubio, trump], members, '2025-02-26', scoreOf);
    expect(now.winner).toBe(trump);
    expect(now.voices).toEqual([trump, rubio]);
    expect(now.divergent).toBe(false);
  });

  it('marks the voice divergent when two current spokespeople differ by 2 or more', () => {
    const tightening = said('marco-rubio', 'no-lifting', '2025-02-27');
    const lifting = said('donald-trump', 'concessions-needed', '2025-02-27');
    expect(voiceAt(US, [tightening, lifting], members, '2025-02-27', scoreOf).divergent).toBe(true);
    expect(voiceAt(US, [tightening, trump], members, '2025-02-27', scoreOf).divergent).toBe(false);
  });

  it('counts a statement by a non-spokesperson only when made on behalf of the organization', () => {
    const own = said('jd-vance', 'tighten', '2025-02-20');
    const forUs = said('jd-vance', 'tighten', '2025-02-21', US);
    expect(speaksFor(US, own, members)).toBe(false);
    expect(speaksFor(US, forUs, members)).toBe(true);
    expect(voiceAt(US, [own], members, '2025-02-28', scoreOf).winner).toBeNull();
  });

  it('applies affiliations at query time: a statement made before the affiliation began does not count', () => {
    const early = said('marco-rubio', 'tighten', '2025-01-10');
    expect(voiceAt(US, [early], members, '2025-02-01', scoreOf).winner).toBeNull();
    const backdated = members.map((m) => (m.actorId === 'marco-rubio' ? { ...m, from: '2025-01-01' } : m));
    expect(voiceAt(US, [early], backdated, '2025-02-01', scoreOf).winner).toBe(early);
  });

  it('lists only spokespeople current at the date, and ties on statedOn go to the later-recorded statement', () => {
    const ended = members.map((m) => (m.actorId === 'marco-rubio' ? { ...m, until: '2025-02-20' } : m));
    const first = said('donald-trump', 'tighten', '2025-02-22');
    const second = said('donald-trump', 'no-lifting', '2025-02-22');
    const voice = voiceAt(US, [rubio, second, first].reverse(), ended, '2025-02-22', scoreOf);
    expect(voice.voices.map((v) => v.actorId)).toEqual(['donald-trump']);
    expect(voice.winner).toBe(second);
  });
});
