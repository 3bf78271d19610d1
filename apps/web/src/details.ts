/** The panel of one statement: what it says, where it comes from, and its history (corrections, retractions). */
import type { Api, Envelope, Source, Stance, Statement, Topic } from './api';
import { ApiError } from './api';
import { colorOf } from './chart';
import { h, utcTime } from './dom';
import { type Mark, describeShift, knownAtInstant, rangeText, stanceText, statedText } from './model';

export interface DetailsContext {
  api: Api;
  topic: Topic;
  knownAt: string | null;
  names: Map<string, string>;
}

export function swatch(stance: Stance | null): HTMLElement {
  return h('span', { class: 'swatch', style: `background:${stance ? colorOf(stance.score) : 'transparent'}`, 'aria-hidden': 'true' });
}

function sourceView(source: Source): HTMLElement {
  const title = source.title ?? source.url ?? 'source';
  const link = source.url ? h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, title) : h('span', {}, title);
  return h('span', { class: 'source' }, link, source.publisher ? ` — ${source.publisher}` : '', source.publishedOn ? ` (published ${source.publishedOn})` : '');
}

function value(field: string, raw: unknown, topic: Topic): string {
  if (raw === null || raw === undefined) return '(none)';
  if (field === 'stance') return stanceText(topic.stances.find((stance) => stance.code === raw) ?? { code: String(raw), label: '', score: 0 });
  if (field === 'source' && typeof raw === 'object') {
    const source = raw as Source;
    return [source.title, source.url, source.publisher, source.publishedOn].filter(Boolean).join(' · ');
  }
  return String(raw);
}

const EVENT_NAMES: Record<string, string> = { PositionStated: 'Stated', StatementCorrected: 'Corrected', StatementRetracted: 'Retracted' };

/** The history as a list: each event with who recorded it, when, why, and for corrections what changed from what. */
export function historyView(events: Envelope[], topic: Topic, knownAt: string | null): HTMLElement {
  const cutoff = knownAtInstant(knownAt);
  const current: Record<string, unknown> = {};
  const items = events.map((event) => {
    const data = event.data as Record<string, unknown>;
    const later = Date.parse(event.recordedAt) > cutoff;
    const body: (Node | string)[] = [];
    if (event.type === 'PositionStated') {
      for (const field of ['stance', 'statedOn', 'statedOnWording', 'summary', 'quote', 'source', 'onBehalfOf']) current[field] = data[field];
      const stated = statedText({ statedOn: String(data.statedOn), statedOnWording: data.statedOnWording as string | undefined });
      body.push(h('p', {}, `${stanceText(topic.stances.find((s) => s.code === data.stance) ?? null)}, stated on ${stated}`));
    } else if (event.type === 'StatementCorrected') {
      const changes = (data.changes ?? {}) as Record<string, unknown>;
      body.push(h('p', { class: 'reason' }, 'Why: ', h('q', {}, String(data.reason ?? ''))));
      body.push(
        h(
          'ul',
          { class: 'changes' },
          Object.entries(changes).map(([field, next]) => {
            const item = h('li', {}, h('code', {}, field), ': ', h('del', {}, value(field, current[field], topic)), ' → ', h('ins', {}, value(field, next, topic)));
            current[field] = next;
            return item;
          }),
        ),
      );
    } else if (event.type === 'StatementRetracted') {
      body.push(h('p', { class: 'reason' }, 'Why: ', h('q', {}, String(data.reason ?? ''))));
    }
    return h(
      'li',
      { class: `event event-${event.type}${later ? ' later' : ''}`, 'data-event-type': event.type },
      h('p', { class: 'event-head' }, h('strong', {}, EVENT_NAMES[event.type] ?? event.type), ' — ', utcTime(event.recordedAt), ' by ', h('code', {}, event.recordedBy)),
      body,
      later ? h('p', { class: 'note' }, 'Recorded after the “as known at” moment: not part of the view shown.') : null,
    );
  });
  return h('ol', { class: 'history', 'aria-label': 'History of the statement' }, items);
}

/** Fills the panel with a statement as known at the page's moment, and its whole history. */
export async function renderDetails(panel: HTMLElement, mark: Mark, context: DetailsContext): Promise<void> {
  const { api, topic, knownAt, names } = context;
  const [statement, history] = await Promise.all([
    api.statement(mark.statementId, knownAt).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }),
    api.history(mark.statementId),
  ]);
  const who = names.get(statement?.actorId ?? mark.actorId) ?? mark.actorId;
  const title = h('h2', { id: 'details-title', tabindex: '-1' }, `${who}, ${statement?.statedOn ?? mark.statedOn}`);
  const rows: [string, Node | string][] = [];
  const s: Statement | null = statement;
  if (s) {
    rows.push(['Stance', h('span', {}, swatch(s.stance), ' ', h('strong', {}, s.stance?.code ?? '—'), s.stance ? ` (${s.stance.score > 0 ? '+' : ''}${s.stance.score}) ${s.stance.label}` : '')]);
    const range = rangeText(s);
    rows.push(['Stated', h('span', { class: 'stated' }, statedText(s), range ? h('span', { class: 'range' }, ` — some day ${range}, not known which`) : null)]);
    if (mark.shift) rows.push(['Shift', describeShift(mark.shift, mark.direction)]);
    if (mark.laneKey.startsWith('voice:')) rows.push(['Voice of', names.get(mark.actorId) ?? mark.actorId]);
    rows.push(['Summary', s.summary]);
    if (s.quote) rows.push(['Quote', h('blockquote', {}, s.quote)]);
    rows.push(['Source', sourceView(s.source)]);
    if (s.onBehalfOf) rows.push(['On behalf of', names.get(s.onBehalfOf) ?? s.onBehalfOf]);
    rows.push(['Recorded', utcTime(s.recordedAt)]);
    if (s.correctedAt) rows.push(['Last corrected', utcTime(s.correctedAt)]);
    if (s.retracted) rows.push(['Retracted', h('strong', { class: 'retracted-flag' }, 'yes — not part of any position')]);
  }
  panel.replaceChildren(
    h(
      'div',
      { class: 'details-head' },
      title,
      h('button', { type: 'button', class: 'close', 'aria-label': 'Close the statement panel', onclick: () => panel.dispatchEvent(new CustomEvent('close')) }, '×'),
    ),
    h(
      'div',
      { class: 'details-body' },
      s
        ? h('dl', { class: 'facts' }, rows.map(([term, definition]) => [h('dt', {}, term), h('dd', {}, definition)]))
        : h('p', { class: 'note' }, 'This statement was not yet recorded at the “as known at” moment.'),
      h(
        'section',
        { class: 'history-section', 'aria-labelledby': 'history-title' },
        h('h3', { id: 'history-title' }, 'History'),
        historyView(history.events, topic, knownAt),
        h('p', { class: 'ids' }, 'Statement ', h('code', {}, mark.statementId)),
      ),
    ),
  );
}
