import type { Decider } from './decider';
import { assertNever } from './event';
import { InvalidValue } from './errors';
import { assertSlug } from './ids';
import { assertText } from './text';
import type { AddStance, OpenTopic, TopicCommand } from './topic.commands';
import { CodebookSize, DuplicateStanceCode, StanceCodeTaken, TopicAlreadyOpen, TopicNotFound } from './topic.errors';
import type { Stance, TopicEvent } from './topic.events';

export const MIN_STANCES = 1;
export const MAX_STANCES = 20;
export const MIN_SCORE = -2;
export const MAX_SCORE = 2;

export type TopicState =
  | { open: false }
  | { open: true; id: string; title: string; proposition: string; stances: Stance[] };

export const topicDecider: Decider<TopicCommand, TopicEvent, TopicState> = {
  initialState: () => ({ open: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'TopicOpened':
        return { open: true, ...event.data, stances: [...event.data.stances] };
      case 'StanceAdded':
        return state.open ? { ...state, stances: [...state.stances, { ...event.data }] } : state;
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'OpenTopic':
        return [openTopic(command, state)];
      case 'AddStance':
        return [addStance(command, state)];
      default:
        return assertNever(command);
    }
  },
};

function openTopic(command: OpenTopic, state: TopicState): TopicEvent {
  const { id, title, proposition, stances } = command;
  assertSlug(id, 'id');
  if (state.open) throw new TopicAlreadyOpen(id);
  assertText(title, 'title');
  assertText(proposition, 'proposition');
  if (stances.length < MIN_STANCES || stances.length > MAX_STANCES) throw new CodebookSize(MIN_STANCES, MAX_STANCES);
  const seen = new Set<string>();
  stances.forEach((stance, i) => {
    assertStance(stance, `stances[${i}].`);
    if (seen.has(stance.code)) throw new DuplicateStanceCode(stance.code, `stances[${i}].code`);
    seen.add(stance.code);
  });
  return { type: 'TopicOpened', data: { id, title, proposition, stances: stances.map(copyStance) } };
}

function addStance(command: AddStance, state: TopicState): TopicEvent {
  if (!state.open) throw new TopicNotFound(command.topicId);
  assertStance(command, '');
  if (state.stances.some((s) => s.code === command.code)) throw new StanceCodeTaken(command.code);
  if (state.stances.length >= MAX_STANCES) throw new CodebookSize(MIN_STANCES, MAX_STANCES, 'code');
  return { type: 'StanceAdded', data: copyStance(command) };
}

function assertStance(stance: Stance, prefix: string): void {
  assertSlug(stance.code, `${prefix}code`);
  assertText(stance.label, 'label', `${prefix}label`);
  if (!Number.isInteger(stance.score) || stance.score < MIN_SCORE || stance.score > MAX_SCORE) {
    throw new InvalidValue(`score must be an integer from ${MIN_SCORE} to ${MAX_SCORE}`, `${prefix}score`);
  }
}

const copyStance = ({ code, label, score }: Stance): Stance => ({ code, label, score });
