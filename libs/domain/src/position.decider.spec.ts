import {
  correctStatement,
  deciderSpec,
  organizationFact,
  positionStated,
  RECORDED_AT,
  recordStatement,
  retractStatement,
  rubioAffiliation,
  sanctionsReliefCodebook,
  speakingForUsGovernment,
  STATEMENT_ID,
  statementFields,
} from '@positions/testing';
import { ActorNotFound } from './actor.errors';
import type { Affiliation } from './actor.state';
import { InvalidValue } from './errors';
import { positionDecider } from './position.decider';
import {
  EmptyCorrection,
  NoAffiliationOnDate,
  StanceNotInCodebook,
  StatedInTheFuture,
  StatementAlreadyRetracted,
  StatementIdTaken,
  StatementNotFound,
} from './position.errors';
import type { PositionEvent, Source, StatementCorrected, StatementRetracted } from './position.events';
import { fold } from './decider';
import { TopicNotFound } from './topic.errors';

const position = deciderSpec(positionDecider);

const invalid = (field: string) => ({ code: 'INVALID_VALUE', kind: 'invalid', field }) as const;
const NOT_IN_CODEBOOK = { code: 'POSITION.STANCE_NOT_IN_CODEBOOK', kind: 'rule-broken' } as const;
const IN_THE_FUTURE = { code: 'POSITION.STATED_IN_THE_FUTURE', kind: 'rule-broken' } as const;
const NO_AFFILIATION = { code: 'POSITION.NO_AFFILIATION_ON_DATE', kind: 'rule-broken' } as const;
const STATEMENT_NOT_FOUND = { code: 'POSITION.STATEMENT_NOT_FOUND', kind: 'not-found', field: 'statementId' } as const;
const RETRACTED = { code: 'POSITION.STATEMENT_RETRACTED', kind: 'rule-broken', field: 'statementId' } as const;
const EMPTY_CORRECTION = { code: 'POSITION.EMPTY_CORRECTION', kind: 'rule-broken', field: 'changes' } as const;

/** Rubio as the statement facts see him, with the given affiliations. */
const rubio = (...affiliations: Affiliation[]) => ({ id: 'marco-rubio', affiliations });
/** Rubio's statement made for the US government, as the seed has it. */
const statedForUsGovernment = positionStated({ onBehalfOf: 'us-government' });
const corrected = (changes: StatementCorrected['data']['changes'], statementId = STATEMENT_ID): StatementCorrected => ({
  type: 'StatementCorrected',
  data: { statementId, changes, reason: correctStatement({}).reason },
});
const retracted = (statementId = STATEMENT_ID): StatementRetracted => ({
  type: 'StatementRetracted',
  data: { statementId, reason: retractStatement().reason },
});
const URL_BASE = 'https://example.org/';
const urlOfLength = (n: number): string => URL_BASE + 'a'.repeat(n - URL_BASE.length);

describe('position decider', () => {
  describe('recording a statement', () => {
    it("given no statement, when Rubio's statement is recorded, then PositionStated holds its fields and none of the facts", () => {
      const { stance, summary, quote, statedOn, source } = statementFields();
      position.when(recordStatement()).then([{ type: 'PositionStated', data: { statementId: STATEMENT_ID, stance, summary, quote, statedOn, source } }]);
    });

    it('given no statement, when it has no quote, then PositionStated has no quote', () => {
      const { stance, summary, statedOn, source } = statementFields();
      position.when(recordStatement({ quote: undefined })).then([{ type: 'PositionStated', data: { statementId: STATEMENT_ID, stance, summary, statedOn, source } }]);
    });

    it('given no statement, when it is made for the US government, then PositionStated names onBehalfOf', () => {
      position.when(recordStatement(speakingForUsGovernment())).then([statedForUsGovernment]);
    });

    it('given a statement, when another one is recorded on the same stream, then it is accepted', () => {
      position
        .given([positionStated()])
        .when(recordStatement({ statementId: 'rubio-2025-02-19', statedOn: '2025-02-19' }))
        .then([positionStated({ statementId: 'rubio-2025-02-19', statedOn: '2025-02-19' })]);
    });

    it.each([
      ['recorded', [positionStated()]],
      ['retracted', [positionStated(), retracted()]],
    ])('given a statement that was %s, when another is recorded under its id, then the id is taken', (_, given) => {
      position
        .given(given)
        .when(recordStatement({ stance: 'not-yet', statedOn: '2025-02-26' }))
        .thenThrows(StatementIdTaken, { code: 'POSITION.STATEMENT_ID_TAKEN', kind: 'already-exists', field: 'statementId' });
    });

    it('when the actor is not registered, then it is not found, naming actorId', () => {
      position.when(recordStatement({ actorId: 'nobody', actor: null })).thenThrows(ActorNotFound, {
        code: 'ACTOR.NOT_FOUND',
        kind: 'not-found',
        field: 'actorId',
      });
    });

    it('when the topic is not registered, then it is not found, naming topicId', () => {
      position.when(recordStatement({ topicId: 'nothing', topic: null })).thenThrows(TopicNotFound, {
        code: 'TOPIC.NOT_FOUND',
        kind: 'not-found',
        field: 'topicId',
      });
    });

    describe('stance', () => {
      it.each(sanctionsReliefCodebook().map((s) => s.code))('accepts %s, a code of the codebook', (stance) => {
        position.when(recordStatement({ stance })).then([positionStated({ stance })]);
      });

      it.each([
        ['a code of no codebook', 'abandon'],
        ["a code of another topic's codebook", 'crippling'],
        ['a label instead of a code', 'No plans to lift'],
        ['a code in another case', 'Not-Yet'],
      ])('refuses %s', (_, stance) => {
        position.when(recordStatement({ stance })).thenThrows(StanceNotInCodebook, { ...NOT_IN_CODEBOOK, field: 'stance' });
      });

      it('accepts a stance added to the codebook after the topic was opened', () => {
        const stances = [...sanctionsReliefCodebook(), { code: 'ease-some', label: 'Ease some', score: 1 }];
        position
          .when(recordStatement({ stance: 'ease-some', topic: { id: 'russia-sanctions-relief', stances } }))
          .then([positionStated({ stance: 'ease-some' })]);
      });
    });

    describe('statedOn (recorded at 2025-03-01T12:00:00.000Z)', () => {
      it.each([
        ['a date', '2025-02-26'],
        ['a date-time in UTC', '2025-02-26T14:30:00Z'],
        ['a date-time with a positive offset', '2025-02-26T14:30:00+01:00'],
        ['a date-time with a negative offset and milliseconds', '2025-02-26T14:30:00.123-05:00'],
        ['the day of recording, as a date', '2025-03-01'],
        ['exactly the moment of recording', RECORDED_AT],
        ['the moment of recording without milliseconds', '2025-03-01T12:00:00Z'],
        ['the moment of recording with an offset', '2025-03-01T13:00:00+01:00'],
        ['a wall-clock time after the recording that is earlier in UTC', '2025-03-01T12:30:00+01:00'],
      ])('accepts %s (%s)', (_, statedOn) => {
        position.when(recordStatement({ statedOn })).then([positionStated({ statedOn })]);
      });

      it.each([
        ['the next day', '2025-03-02'],
        ['a millisecond after the moment of recording', '2025-03-01T12:00:00.001Z'],
        ['a wall-clock time before the recording that is later in UTC', '2025-03-01T11:30:00-01:00'],
        ['a year later', '2026-03-01'],
      ])('refuses %s (%s) as stated in the future', (_, statedOn) => {
        position.when(recordStatement({ statedOn })).thenThrows(StatedInTheFuture, { ...IN_THE_FUTURE, field: 'statedOn' });
      });

      it('accepts the date of recording when recording at 00:00Z: a date is the start of its UTC day', () => {
        position
          .when(recordStatement({ statedOn: '2025-03-01', recordedAt: '2025-03-01T00:00:00.000Z' }))
          .then([positionStated({ statedOn: '2025-03-01' })]);
      });

      it('refuses the next date when recording a millisecond before midnight UTC', () => {
        position
          .when(recordStatement({ statedOn: '2025-03-01', recordedAt: '2025-02-28T23:59:59.999Z' }))
          .thenThrows(StatedInTheFuture, IN_THE_FUTURE);
      });

      it.each([
        ['not a calendar date', '2025-02-30'],
        ['a date-time without an offset', '2025-02-26T14:30:00'],
        ['a date-time without seconds', '2025-02-26T14:30Z'],
        ['a space for T', '2025-02-26 14:30:00Z'],
        ['hour 24', '2025-02-26T24:00:00Z'],
        ['an offset beyond 14:00', '2025-02-26T14:30:00+15:00'],
        ['a day-first date', '26/02/2025'],
        ['single-digit month', '2025-2-26'],
        ['words', 'last week'],
        ['empty', ''],
      ])('refuses a statedOn that is %s (%p)', (_, statedOn) => {
        position.when(recordStatement({ statedOn })).thenThrows(InvalidValue, invalid('statedOn'));
      });
    });

    describe('source', () => {
      it.each<[string, Source]>([
        ['only a title', { title: 'Press briefing' }],
        ['only an https url', { url: 'https://example.org/news/2025/02/26/sanctions' }],
        ['only an http url', { url: 'http://example.org/sanctions?page=2#top' }],
        ['an uppercase scheme', { url: 'HTTPS://EXAMPLE.ORG/' }],
        ['a url of 2,048 characters', { url: urlOfLength(2048) }],
        ['everything', { url: 'https://example.org/a', title: 'A', publisher: 'Reuters', publishedOn: '2025-02-26' }],
      ])('accepts a source with %s', (_, source) => {
        position.when(recordStatement({ source })).then([positionStated({ source })]);
      });

      it.each<[string, Source]>([
        ['nothing', {}],
        ['only a publisher', { publisher: 'Reuters' }],
        ['only a publishedOn', { publishedOn: '2025-02-26' }],
      ])('refuses a source with %s: it needs a url or a title', (_, source) => {
        position.when(recordStatement({ source })).thenThrows(InvalidValue, invalid('source'));
      });

      it.each([
        ['an ftp url', 'ftp://example.org/report.pdf'],
        ['a javascript: url', 'javascript:alert(1)'],
        ['a mailto: url', 'mailto:press@example.org'],
        ['no scheme', 'example.org/report'],
        ['no host', 'https://'],
        ['a space', 'https://example.org/a report'],
        ['2,049 characters', urlOfLength(2049)],
      ])('refuses a url with %s', (_, url) => {
        position.when(recordStatement({ source: { url, title: 'A report' } })).thenThrows(InvalidValue, invalid('source.url'));
      });

      it.each([
        ['not a calendar date', '2025-02-30'],
        ['a date-time', '2025-02-26T00:00:00Z'],
        ['words', '26 February 2025'],
      ])('refuses a publishedOn that is %s', (_, publishedOn) => {
        position.when(recordStatement({ source: { title: 'A', publishedOn } })).thenThrows(InvalidValue, invalid('source.publishedOn'));
      });

      it('refuses an empty title and a publisher of 201 characters', () => {
        position.when(recordStatement({ source: { title: '' } })).thenThrows(InvalidValue, invalid('source.title'));
        position.when(recordStatement({ source: { title: 'A', publisher: 'p'.repeat(201) } })).thenThrows(InvalidValue, invalid('source.publisher'));
      });
    });

    it.each([
      ['summary', 'an empty summary', { summary: '' }],
      ['summary', 'a summary of 2,001 characters', { summary: 's'.repeat(2001) }],
      ['quote', 'an empty quote', { quote: '' }],
      ['quote', 'a quote of 5,001 characters', { quote: 'q'.repeat(5001) }],
    ])('refuses %s: %s', (field, _, overrides) => {
      position.when(recordStatement(overrides)).thenThrows(InvalidValue, invalid(field));
    });

    it('accepts a summary of 2,000 characters and a quote of 5,000', () => {
      const overrides = { summary: 's'.repeat(2000), quote: 'q'.repeat(5000) };
      position.when(recordStatement(overrides)).then([positionStated(overrides)]);
    });

    describe('onBehalfOf (Rubio is Secretary of State from 2025-01-21)', () => {
      const closedOn18th = rubio(rubioAffiliation({ until: '2025-02-18' }));

      it('refuses an organization that is not registered, naming onBehalfOf', () => {
        position
          .when(recordStatement({ onBehalfOf: 'nato', onBehalfOfActor: null }))
          .thenThrows(ActorNotFound, { code: 'ACTOR.NOT_FOUND', kind: 'not-found', field: 'onBehalfOf' });
      });

      it('refuses a malformed onBehalfOf', () => {
        position.when(recordStatement({ onBehalfOf: 'Bad_Id', onBehalfOfActor: null })).thenThrows(InvalidValue, invalid('onBehalfOf'));
      });

      it.each([
        ['its first day', '2025-01-21', rubio(rubioAffiliation())],
        ['a day of an open-ended affiliation', '2025-02-18', rubio(rubioAffiliation())],
        ['the day of recording, open-ended', '2025-03-01', rubio(rubioAffiliation())],
        ['its last day', '2025-02-18', closedOn18th],
        ['the last second of its last day', '2025-02-18T23:59:59Z', closedOn18th],
        ['its last day in UTC, though the next day where it was said', '2025-02-19T00:30:00+01:00', closedOn18th],
        ['an affiliation that does not speak for it', '2025-02-18', rubio(rubioAffiliation({ speaksFor: false }))],
      ])('accepts a statement made on %s', (_, statedOn, actor) => {
        position
          .when(recordStatement({ ...speakingForUsGovernment(), statedOn, actor }))
          .then([positionStated({ onBehalfOf: 'us-government', statedOn })]);
      });

      it.each([
        ['the day before it began', '2025-01-20', rubio(rubioAffiliation())],
        ['its first day where it was said, though the day before in UTC', '2025-01-21T00:30:00+01:00', rubio(rubioAffiliation())],
        ['the day after it ended', '2025-02-19', closedOn18th],
        ['the first instant after it ended', '2025-02-19T00:00:00Z', closedOn18th],
        ['a day when the speaker has no affiliation at all', '2025-02-18', rubio()],
      ])('refuses a statement made on %s', (_, statedOn, actor) => {
        position
          .when(recordStatement({ ...speakingForUsGovernment(), statedOn, actor }))
          .thenThrows(NoAffiliationOnDate, { ...NO_AFFILIATION, field: 'onBehalfOf' });
      });

      it('refuses a registered organization the speaker has no affiliation with', () => {
        position
          .when(recordStatement({ onBehalfOf: 'european-union', onBehalfOfActor: organizationFact('european-union') }))
          .thenThrows(NoAffiliationOnDate, { ...NO_AFFILIATION, field: 'onBehalfOf' });
      });
    });
  });

  describe('correcting a statement', () => {
    it('given a statement, when its stance is corrected, then StatementCorrected holds the change and the reason', () => {
      position
        .given([positionStated()])
        .when(correctStatement({ stance: 'not-yet' }, { reason: 'Misread the quote' }))
        .then([{ type: 'StatementCorrected', data: { statementId: STATEMENT_ID, changes: { stance: 'not-yet' }, reason: 'Misread the quote' } }]);
    });

    it('given a statement, when a correction also re-sends a current value, then only the changed field is recorded', () => {
      position
        .given([positionStated()])
        .when(correctStatement({ stance: 'concessions-needed', summary: 'A shorter summary' }))
        .then([corrected({ summary: 'A shorter summary' })]);
    });

    it('given a statement, when every correctable field changes, then all are recorded', () => {
      const changes = {
        stance: 'not-yet',
        summary: 'Another summary',
        quote: 'another quote',
        statedOn: '2025-02-17T10:00:00+03:00',
        source: { url: 'https://example.org/a' },
        onBehalfOf: 'us-government',
      };
      position
        .given([positionStated()])
        .when(correctStatement(changes, { onBehalfOfActor: organizationFact('us-government') }))
        .then([corrected(changes)]);
    });

    it('given no statement under that id, when it is corrected, then it is not found', () => {
      position.given([positionStated({ statementId: 'another' })]).when(correctStatement({ stance: 'not-yet' })).thenThrows(StatementNotFound, STATEMENT_NOT_FOUND);
    });

    it.each([
      ['retracted', [positionStated(), retracted()]],
      ['corrected, then retracted', [positionStated(), corrected({ stance: 'not-yet' }), retracted()]],
    ])('given a statement that was %s, when it is corrected, then it is refused', (_, given) => {
      position.given(given).when(correctStatement({ stance: 'no-lifting' })).thenThrows(StatementAlreadyRetracted, RETRACTED);
    });

    describe('an empty correction', () => {
      it.each([
        ['no change at all', {}],
        ['the current stance', { stance: 'concessions-needed' }],
        ['the current statedOn and summary', { statedOn: '2025-02-18', summary: statementFields().summary }],
        ['the current source', { source: statementFields().source }],
        ['an undefined quote', { quote: undefined }],
      ])('given a statement, when the correction holds %s, then it is refused', (_, changes) => {
        position.given([positionStated()]).when(correctStatement(changes)).thenThrows(EmptyCorrection, EMPTY_CORRECTION);
      });

      it('given a correction to not-yet, when not-yet is sent again, then it is refused: corrections are folded', () => {
        position
          .given([positionStated(), corrected({ stance: 'not-yet' })])
          .when(correctStatement({ stance: 'not-yet' }))
          .thenThrows(EmptyCorrection, EMPTY_CORRECTION);
      });

      // A JSON object's keys have no order: the same source sent with its keys in another order changes nothing.
      it('given a statement, when the current source is sent with its keys in another order, then it is refused', () => {
        const { title, publishedOn } = statementFields().source;
        position
          .given([positionStated()])
          .when(correctStatement({ source: { publishedOn, title } }))
          .thenThrows(EmptyCorrection, EMPTY_CORRECTION);
      });
    });

    it('given a statement, when the stance is corrected to one not in the codebook, then it is refused', () => {
      position
        .given([positionStated()])
        .when(correctStatement({ stance: 'abandon' }))
        .thenThrows(StanceNotInCodebook, { ...NOT_IN_CODEBOOK, field: 'changes.stance' });
    });

    it.each([
      ['the next day', '2025-03-02'],
      ['a millisecond after the moment of recording', '2025-03-01T12:00:00.001Z'],
    ])('given a statement, when statedOn is moved to %s, then it is refused as stated in the future', (_, statedOn) => {
      position
        .given([positionStated()])
        .when(correctStatement({ statedOn }))
        .thenThrows(StatedInTheFuture, { ...IN_THE_FUTURE, field: 'changes.statedOn' });
    });

    it.each([
      ['statedOn', { statedOn: '2025-02-18T10:00' }],
      ['summary', { summary: '' }],
      ['quote', { quote: 'q'.repeat(5001) }],
      ['source', { source: {} }],
      ['source.url', { source: { url: 'ftp://example.org/x' } }],
      ['source.publishedOn', { source: { title: 'A', publishedOn: '2025-02-30' } }],
    ])('given a statement, when the correction has a malformed %s, then it is refused as changes.%s', (field, changes) => {
      position.given([positionStated()]).when(correctStatement(changes)).thenThrows(InvalidValue, invalid(`changes.${field}`));
    });

    describe('keeping onBehalfOf covered by an affiliation', () => {
      const forUsGovernment = { onBehalfOfActor: organizationFact('us-government') };

      it('given a statement for the US government, when statedOn moves within the affiliation, then it is accepted', () => {
        position
          .given([statedForUsGovernment])
          .when(correctStatement({ statedOn: '2025-01-21' }, forUsGovernment))
          .then([corrected({ statedOn: '2025-01-21' })]);
      });

      it('given a statement for the US government, when statedOn moves before the affiliation, then it is refused', () => {
        position
          .given([statedForUsGovernment])
          .when(correctStatement({ statedOn: '2025-01-20' }, forUsGovernment))
          .thenThrows(NoAffiliationOnDate, NO_AFFILIATION);
      });

      it('given a statement for the US government, when statedOn moves after an affiliation that ended, then it is refused', () => {
        position
          .given([statedForUsGovernment])
          .when(correctStatement({ statedOn: '2025-02-20' }, { ...forUsGovernment, actor: rubio(rubioAffiliation({ until: '2025-02-19' })) }))
          .thenThrows(NoAffiliationOnDate, NO_AFFILIATION);
      });

      it('given a statement for himself, when statedOn moves before any affiliation, then it is accepted', () => {
        position.given([positionStated()]).when(correctStatement({ statedOn: '2024-12-01' })).then([corrected({ statedOn: '2024-12-01' })]);
      });

      it('given a statement for himself, when onBehalfOf names an organization he is affiliated with, then it is accepted', () => {
        position
          .given([positionStated()])
          .when(correctStatement({ onBehalfOf: 'us-government' }, forUsGovernment))
          .then([corrected({ onBehalfOf: 'us-government' })]);
      });

      it('given a statement for himself, when onBehalfOf names an organization he is not affiliated with, then it is refused', () => {
        position
          .given([positionStated()])
          .when(correctStatement({ onBehalfOf: 'european-union' }, { onBehalfOfActor: organizationFact('european-union') }))
          .thenThrows(NoAffiliationOnDate, { ...NO_AFFILIATION, field: 'changes.onBehalfOf' });
      });

      it('given a statement, when onBehalfOf names an unregistered organization, then it is not found', () => {
        position
          .given([positionStated()])
          .when(correctStatement({ onBehalfOf: 'nato' }, { onBehalfOfActor: null }))
          .thenThrows(ActorNotFound, { code: 'ACTOR.NOT_FOUND', kind: 'not-found', field: 'changes.onBehalfOf' });
      });

      it('given a statement for the US government, when statedOn and onBehalfOf move together consistently, then it is accepted', () => {
        const changes = { statedOn: '2024-12-01', onBehalfOf: 'european-union' };
        const actor = rubio(rubioAffiliation(), rubioAffiliation({ organizationId: 'european-union', from: '2024-01-01', until: '2024-12-31' }));
        position
          .given([statedForUsGovernment])
          .when(correctStatement(changes, { actor, onBehalfOfActor: organizationFact('european-union') }))
          .then([corrected(changes)]);
      });
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['2,001 characters long', 'r'.repeat(2001)],
    ])('given a statement, when the reason is %s, then it is refused', (_, reason) => {
      position.given([positionStated()]).when(correctStatement({ stance: 'not-yet' }, { reason })).thenThrows(InvalidValue, invalid('reason'));
    });
  });

  describe('retracting a statement', () => {
    it('given a statement, when it is retracted, then StatementRetracted holds the reason', () => {
      position
        .given([positionStated()])
        .when(retractStatement({ reason: 'Misattributed' }))
        .then([{ type: 'StatementRetracted', data: { statementId: STATEMENT_ID, reason: 'Misattributed' } }]);
    });

    it('given a corrected statement, when it is retracted, then it is accepted', () => {
      position.given([positionStated(), corrected({ stance: 'not-yet' })]).when(retractStatement()).then([retracted()]);
    });

    it('given two statements and one retracted, when the other is retracted, then it is accepted', () => {
      position
        .given([positionStated(), positionStated({ statementId: 'other' }), retracted()])
        .when(retractStatement({ statementId: 'other' }))
        .then([retracted('other')]);
    });

    it('given no statement under that id, when it is retracted, then it is not found', () => {
      position.given([positionStated()]).when(retractStatement({ statementId: 'unknown' })).thenThrows(StatementNotFound, STATEMENT_NOT_FOUND);
    });

    it('given a retracted statement, when it is retracted again, then it is refused', () => {
      position.given([positionStated(), retracted()]).when(retractStatement()).thenThrows(StatementAlreadyRetracted, RETRACTED);
    });

    it.each([
      ['empty', ''],
      ['blank', '\n'],
      ['2,001 characters long', 'r'.repeat(2001)],
    ])('given a statement, when the reason is %s, then it is refused', (_, reason) => {
      position.given([positionStated()]).when(retractStatement({ reason })).thenThrows(InvalidValue, invalid('reason'));
    });

    it('accepts a reason of 2,000 characters', () => {
      const reason = 'r'.repeat(2000);
      position.given([positionStated()]).when(retractStatement({ reason })).then([{ type: 'StatementRetracted', data: { statementId: STATEMENT_ID, reason } }]);
    });
  });

  // `state.statements[id]` on a plain object also finds Object.prototype's members.
  describe('a statement id that names a member of Object.prototype', () => {
    const ids = ['constructor', '__proto__', 'toString'];

    it.each(ids)('given no statement, when %p is recorded, then it is accepted', (statementId) => {
      position.when(recordStatement({ statementId })).then([positionStated({ statementId })]);
    });

    it.each(ids)('given no statement, when %p is retracted, then it is not found', (statementId) => {
      position.when(retractStatement({ statementId })).thenThrows(StatementNotFound, STATEMENT_NOT_FOUND);
    });

    it.each(ids)('given no statement, when %p is corrected, then it is not found', (statementId) => {
      position.when(correctStatement({ stance: 'not-yet' }, { statementId })).thenThrows(StatementNotFound, STATEMENT_NOT_FOUND);
    });
  });
});

describe('folding a long position stream', () => {
  const N = 20_000;
  const events = (): PositionEvent[] => {
    const stated = Array.from({ length: N }, (_, i): PositionEvent => positionStated({ statementId: `s-${i}`, summary: `statement ${i}` }));
    return [...stated, { type: 'StatementCorrected', data: { statementId: 's-7', changes: { stance: 'not-yet' }, reason: 'misread' } }, { type: 'StatementRetracted', data: { statementId: 's-8', reason: 'misattributed' } }];
  };

  // The timeout is for a busy machine; `npm run bench` measures the speed.
  it(`given ${N} statements, when folded cold, then every statement is there with its corrections`, () => {
    const state = fold(positionDecider, events());
    expect(Object.keys(state.statements)).toHaveLength(N);
    expect(state.statements['s-7'].fields.stance).toBe('not-yet');
    expect(state.statements['s-8'].retracted).toBe(true);
    expect(state.statements[`s-${N - 1}`]).toEqual({ fields: expect.objectContaining({ summary: `statement ${N - 1}` }), retracted: false });
  }, 60_000);

  it('given a frozen state, when the rest of the stream is folded onto it, then it equals folding event by event and the state is unchanged', () => {
    const all = events().slice(N - 50);
    const start = Object.freeze(fold(positionDecider, all.slice(0, 10)));
    const before = JSON.stringify(start);
    expect(positionDecider.evolveAll?.(start, all.slice(10))).toEqual(all.slice(10).reduce(positionDecider.evolve, start));
    expect(JSON.stringify(start)).toBe(before);
  });

  it('given a statement id "__proto__", when folded with others, then it is an own statement and the others stay plain', () => {
    const state = fold(positionDecider, [positionStated({ statementId: '__proto__' }), positionStated({ statementId: 'other' })]);
    expect(Object.keys(state.statements).sort()).toEqual(['__proto__', 'other']);
    expect(Object.getPrototypeOf(state.statements)).toBe(Object.prototype);
  });
});
