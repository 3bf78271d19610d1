import { deciderSpec, openSanctionsRelief, sanctionsReliefCodebook, sanctionsReliefOpened, SANCTIONS_RELIEF } from '@positions/testing';
import { InvalidValue } from './errors';
import type { AddStance } from './topic.commands';
import { topicDecider } from './topic.decider';
import { CodebookSize, DuplicateStanceCode, StanceCodeTaken, TopicAlreadyOpen, TopicNotFound } from './topic.errors';
import type { Stance, StanceAdded } from './topic.events';

const topic = deciderSpec(topicDecider);

const invalid = (field: string) => ({ code: 'INVALID_VALUE', kind: 'invalid', field }) as const;
const CODEBOOK_SIZE = { code: 'TOPIC.CODEBOOK_SIZE', kind: 'rule-broken' } as const;

/** A codebook of n valid stances, scores cycling through -2..2. */
const codebook = (n: number): Stance[] =>
  Array.from({ length: n }, (_, i) => ({ code: `stance-${i + 1}`, label: `Stance ${i + 1}`, score: (i % 5) - 2 }));

const ease: Stance = { code: 'ease-some', label: 'Ease some sanctions in exchange for a ceasefire', score: 1 };
const addStance = (overrides: Partial<Stance> = {}): AddStance => ({ type: 'AddStance', topicId: SANCTIONS_RELIEF, ...ease, ...overrides });
const stanceAdded = (stance: Stance): StanceAdded => ({ type: 'StanceAdded', data: stance });

describe('topic decider', () => {
  describe('opening a topic', () => {
    it('given no topic, when russia-sanctions-relief is opened with the seed codebook, then TopicOpened carries all five stances', () => {
      topic.when(openSanctionsRelief()).then([
        {
          type: 'TopicOpened',
          data: {
            id: 'russia-sanctions-relief',
            title: 'Relief of Western sanctions on Russia',
            proposition: 'Western sanctions on Russia should be lifted',
            stances: sanctionsReliefCodebook(),
          },
        },
      ]);
    });

    it('given the topic is open, when it is opened again, then it is refused as already open', () => {
      topic
        .given([sanctionsReliefOpened()])
        .when(openSanctionsRelief({ title: 'Another title' }))
        .thenThrows(TopicAlreadyOpen, { code: 'TOPIC.ALREADY_OPEN', kind: 'already-exists', field: 'id' });
    });

    it.each([
      ['one stance', 1],
      ['20 stances', 20],
    ])('accepts a codebook of %s', (_, n) => {
      topic.when(openSanctionsRelief({ stances: codebook(n) })).then([sanctionsReliefOpened({ stances: codebook(n) })]);
    });

    it.each([
      ['no stance', 0],
      ['21 stances', 21],
    ])('refuses a codebook of %s', (_, n) => {
      topic.when(openSanctionsRelief({ stances: codebook(n) })).thenThrows(CodebookSize, { ...CODEBOOK_SIZE, field: 'stances' });
    });

    it('refuses a codebook that lists a code twice, naming the second', () => {
      const stances = [...sanctionsReliefCodebook(), { code: 'not-yet', label: 'Not now', score: -1 }];
      topic
        .when(openSanctionsRelief({ stances }))
        .thenThrows(DuplicateStanceCode, { code: 'TOPIC.DUPLICATE_STANCE_CODE', kind: 'rule-broken', field: 'stances[5].code' });
    });

    it('accepts two codes with the same score', () => {
      const stances = [ease, { code: 'ease-all', label: 'Ease all of them', score: 1 }];
      topic.when(openSanctionsRelief({ stances })).then([sanctionsReliefOpened({ stances })]);
    });

    it.each([-2, -1, 0, 1, 2])('accepts the score %p', (score) => {
      topic.when(openSanctionsRelief({ stances: [{ ...ease, score }] })).then([sanctionsReliefOpened({ stances: [{ ...ease, score }] })]);
    });

    it.each([2.5, -3, 3, -0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the score %p, naming the stance', (score) => {
      const stances = [...sanctionsReliefCodebook(), { ...ease, score }];
      topic.when(openSanctionsRelief({ stances })).thenThrows(InvalidValue, invalid('stances[5].score'));
    });

    it.each([
      ['stances[0].code', 'a code that is not a slug', { code: 'Not_Yet' }],
      ['stances[0].code', 'an empty code', { code: '' }],
      ['stances[0].label', 'an empty label', { label: '' }],
      ['stances[0].label', 'a label of 201 characters', { label: 'l'.repeat(201) }],
    ])('refuses %s: %s', (field, _, overrides) => {
      topic.when(openSanctionsRelief({ stances: [{ ...ease, ...overrides }] })).thenThrows(InvalidValue, invalid(field));
    });

    it.each([
      ['id', 'an id with uppercase and an underscore', { id: 'Bad_Id' }],
      ['id', 'an id of 65 characters', { id: 's'.repeat(65) }],
      ['title', 'an empty title', { title: '' }],
      ['title', 'a title of 201 characters', { title: 't'.repeat(201) }],
      ['proposition', 'a blank proposition', { proposition: '  ' }],
      ['proposition', 'a proposition of 501 characters', { proposition: 'p'.repeat(501) }],
    ])('refuses %s: %s', (field, _, overrides) => {
      topic.when(openSanctionsRelief(overrides)).thenThrows(InvalidValue, invalid(field));
    });

    it('accepts an id of 64 characters and a proposition of 500', () => {
      const overrides = { id: 's'.repeat(64), proposition: 'p'.repeat(500) };
      topic.when(openSanctionsRelief(overrides)).then([sanctionsReliefOpened(overrides)]);
    });
  });

  describe('adding a stance', () => {
    it('given the seed codebook, when a sixth stance is added, then StanceAdded', () => {
      topic.given([sanctionsReliefOpened()]).when(addStance()).then([stanceAdded(ease)]);
    });

    it('given no topic, when a stance is added, then the topic is not found', () => {
      topic.when(addStance()).thenThrows(TopicNotFound, { code: 'TOPIC.NOT_FOUND', kind: 'not-found' });
    });

    it('given the seed codebook, when a code it has is added, then it is refused as taken', () => {
      topic
        .given([sanctionsReliefOpened()])
        .when(addStance({ code: 'not-yet', label: 'Not now', score: 0 }))
        .thenThrows(StanceCodeTaken, { code: 'TOPIC.STANCE_CODE_TAKEN', kind: 'already-exists', field: 'code' });
    });

    it('given a stance was added, when it is added again, then it is refused as taken', () => {
      topic
        .given([sanctionsReliefOpened(), stanceAdded(ease)])
        .when(addStance())
        .thenThrows(StanceCodeTaken, { code: 'TOPIC.STANCE_CODE_TAKEN', kind: 'already-exists' });
    });

    it('given 19 stances, when the 20th is added, then it is accepted', () => {
      topic.given([sanctionsReliefOpened({ stances: codebook(19) })]).when(addStance()).then([stanceAdded(ease)]);
    });

    it('given 20 stances, when the 21st is added, then it is refused', () => {
      topic.given([sanctionsReliefOpened({ stances: codebook(20) })]).when(addStance()).thenThrows(CodebookSize, CODEBOOK_SIZE);
    });

    it('given 19 stances and one added, when another is added, then it is refused: added stances count', () => {
      topic
        .given([sanctionsReliefOpened({ stances: codebook(19) }), stanceAdded(ease)])
        .when(addStance({ code: 'ease-all' }))
        .thenThrows(CodebookSize, CODEBOOK_SIZE);
    });

    it.each([
      ['score', 'the score 2.5', { score: 2.5 }],
      ['score', 'the score -3', { score: -3 }],
      ['score', 'the score 3', { score: 3 }],
      ['code', 'a code that is not a slug', { code: 'Ease Some' }],
      ['label', 'an empty label', { label: '' }],
    ])('refuses %s: %s', (field, _, overrides) => {
      topic.given([sanctionsReliefOpened()]).when(addStance(overrides)).thenThrows(InvalidValue, invalid(field));
    });

    it.each([-2, 2])('accepts the score %p', (score) => {
      topic.given([sanctionsReliefOpened()]).when(addStance({ score })).then([stanceAdded({ ...ease, score })]);
    });
  });
});
