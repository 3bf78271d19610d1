import type { Decider } from './decider';
import { assertNever } from './event';
import { EmptyCorrection, StatementAlreadyRetracted, StatementIdTaken, StatementNotFound } from './position.errors';
import type { CorrectStatement, PositionCommand, RecordStatement, RetractStatement } from './position.commands';
import { CORRECTABLE, type PositionEvent, type StatementFields } from './position.events';
import { assertActorAndTopic, assertOnBehalfOf, assertStatementFields } from './statement.rules';
import { assertText } from './text';
import { InvalidValue } from './errors';
import { canonicalJson } from './canonical-json';

/** What deciding on an actor–topic stream needs: each statement's current fields. */
export interface PositionState {
  statements: Readonly<Record<string, { fields: StatementFields; retracted: boolean }>>;
}

export const positionDecider: Decider<PositionCommand, PositionEvent, PositionState> = {
  initialState: () => ({ statements: {} }),
  evolve: (state, event) => evolvePosition(state, [event]),
  evolveAll: evolvePosition,
  decide(command, state) {
    switch (command.type) {
      case 'RecordStatement':
        return [recordStatement(command, state)];
      case 'CorrectStatement':
        return [correctStatement(command, state)];
      case 'RetractStatement':
        return [retractStatement(command, state)];
      default:
        return assertNever(command);
    }
  },
};

type MutableStatements = Record<string, { fields: StatementFields; retracted: boolean }>;

/** Copies the statements once, then applies every event to the private copy: linear in the stream. */
function evolvePosition(state: PositionState, events: readonly PositionEvent[]): PositionState {
  if (events.length === 0) return state;
  const statements: MutableStatements = { ...state.statements };
  for (const event of events) applyTo(statements, event);
  return { statements };
}

function applyTo(statements: MutableStatements, event: PositionEvent): void {
  const id = event.data.statementId;
  switch (event.type) {
    case 'PositionStated': {
      const { statementId, ...fields } = event.data;
      setOwn(statements, statementId, { fields, retracted: false });
      return;
    }
    case 'StatementCorrected':
      if (Object.hasOwn(statements, id)) setOwn(statements, id, { ...statements[id], fields: { ...statements[id].fields, ...event.data.changes } });
      return;
    case 'StatementRetracted':
      if (Object.hasOwn(statements, id)) setOwn(statements, id, { ...statements[id], retracted: true });
      return;
    default:
      assertNever(event);
  }
}

/** An own property even for ids such as `__proto__`, which plain assignment would take as the prototype. */
function setOwn(statements: MutableStatements, id: string, value: MutableStatements[string]): void {
  Object.defineProperty(statements, id, { value, enumerable: true, writable: true, configurable: true });
}

function recordStatement(command: RecordStatement, state: PositionState): PositionEvent {
  const { statementId, actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf, intake } = command;
  if (Object.hasOwn(state.statements, statementId)) throw new StatementIdTaken(statementId);
  const facts = assertActorAndTopic(command, actorId, topicId);
  const fields: StatementFields = {
    stance,
    summary,
    ...(quote !== undefined && { quote }),
    statedOn,
    ...(statedOnWording !== undefined && { statedOnWording }),
    source,
    ...(onBehalfOf !== undefined && { onBehalfOf }),
    ...(intake !== undefined && { intake: { ...intake, quoteSpan: [intake.quoteSpan[0], intake.quoteSpan[1]] as [number, number] } }),
  };
  assertStatementFields(fields, facts);
  assertOnBehalfOf(actorId, onBehalfOf, statedOn, facts);
  return { type: 'PositionStated', data: { statementId, ...fields, source: { ...source } } };
}

function correctStatement(command: CorrectStatement, state: PositionState): PositionEvent {
  const current = liveStatement(command.statementId, state);
  assertText(command.reason, 'reason');
  const unknown = Object.keys(command.changes).find((key) => !(CORRECTABLE as readonly string[]).includes(key));
  if (unknown !== undefined) throw new InvalidValue(`a correction may change only ${CORRECTABLE.join(', ')}`, `changes.${unknown}`);
  const changes = changedFields(command.changes, current);
  if (Object.keys(changes).length === 0) throw new EmptyCorrection();
  const facts = assertActorAndTopic(command, '(the statement\'s actor)', '(the statement\'s topic)');
  assertStatementFields(changes, facts, 'changes.');
  const after = { ...current, ...changes };
  // A new date or a new organization must still be covered by an affiliation.
  if (changes.statedOn !== undefined || changes.onBehalfOf !== undefined) {
    const field = changes.onBehalfOf !== undefined ? 'changes.onBehalfOf' : 'changes.statedOn';
    assertOnBehalfOf(facts.actor.id, after.onBehalfOf, after.statedOn, facts, field);
  }
  return { type: 'StatementCorrected', data: { statementId: command.statementId, changes, reason: command.reason } };
}

function retractStatement(command: RetractStatement, state: PositionState): PositionEvent {
  liveStatement(command.statementId, state);
  assertText(command.reason, 'reason');
  return { type: 'StatementRetracted', data: { statementId: command.statementId, reason: command.reason } };
}

function liveStatement(statementId: string, state: PositionState): StatementFields {
  if (!Object.hasOwn(state.statements, statementId)) throw new StatementNotFound(statementId);
  const statement = state.statements[statementId];
  if (statement.retracted) throw new StatementAlreadyRetracted(statementId);
  return statement.fields;
}

/** Only the fields whose value differs: re-sending a current value changes nothing. */
function changedFields(changes: Partial<StatementFields>, current: StatementFields): Partial<StatementFields> {
  const entries = Object.entries(changes).filter(
    ([key, value]) => value !== undefined && canonicalJson(value) !== canonicalJson(current[key as keyof StatementFields]),
  );
  return Object.fromEntries(entries) as Partial<StatementFields>;
}
