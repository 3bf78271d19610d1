/**
 * The positions page: pick a topic, see one lane per actor over time, move a date cursor to see the landscape at
 * that date, replay the record as known at a past moment, open a statement and its history. State lives in the URL.
 */
import './style.css';
import { type Actor, Api, ApiError, type Envelope, type Openness, type Position, type Stance, type Timeline, type Topic, type Voice, mapLimited } from './api';
import { type ChartHandle, PALETTE, renderChart } from './chart';
import { renderDetails, swatch } from './details';
import { byId, h, utcTime } from './dom';
import { voiceAt } from './feed';
import { Follow } from './follow';
import {
  type FoldedStatement,
  type Lane,
  type Mark,
  type VoiceSample,
  alternativesText,
  attachRanges,
  buildLanes,
  cursorInstant,
  dayOf,
  describeShift,
  foldStream,
  isDate,
  isUncertain,
  isValidDay,
  isValidKnownAt,
  knownAtInstant,
  possiblyStated,
  stanceText,
  statedBounds,
  statedText,
} from './model';

interface State {
  topicId: string | null;
  day: string | null;
  knownAt: string | null;
  showRetracted: boolean;
  statementId: string | null;
}

/** What was loaded for one topic as known at one moment. */
interface Loaded {
  topic: Topic;
  knownAt: string | null;
  lanes: Lane[];
  marks: Map<string, Mark>;
  streams: Map<string, Envelope[]>;
  voices: Map<string, VoiceSample[]>;
  firstDay: string | null;
  lastDay: string | null;
}

const api = new Api();
const state: State = readUrl();
let topics: Topic[] = [];
let actors: Actor[] = [];
let names = new Map<string, string>();
let loaded: Loaded | null = null;
let chart: ChartHandle | null = null;
let loadSeq = 0;
let landscapeSeq = 0;
let landscapeTimer: number | undefined;
let detailsReturnFocus: Element | null = null;

const el = {
  main: byId('main'),
  topic: byId<HTMLSelectElement>('topic'),
  day: byId<HTMLInputElement>('date'),
  knownAt: byId<HTMLInputElement>('known-at'),
  knownNow: byId<HTMLButtonElement>('known-now'),
  moments: byId<HTMLSelectElement>('record-moments'),
  showRetracted: byId<HTMLInputElement>('show-retracted'),
  replay: byId('replay-banner'),
  status: byId('status'),
  error: byId('error'),
  legend: byId('legend'),
  chart: byId('chart'),
  landscape: byId('landscape'),
  details: byId('details'),
  statements: byId('statement-lists'),
  keyForm: byId<HTMLFormElement>('key-form'),
  keyInput: byId<HTMLInputElement>('api-key'),
  followActor: byId<HTMLSelectElement>('follow-actor'),
  followButton: byId<HTMLButtonElement>('follow-button'),
};

const follow = new Follow(api, byId<HTMLOListElement>('follow-list'), byId('follow-status'), (id) => names.get(id) ?? id);

/** The follow controls for the topic on screen: its actors to choose from; a new topic stops following. */
function renderFollow(topicId: string, speaking: readonly Actor[]): void {
  if (el.followButton.dataset.topic !== topicId) {
    follow.stop();
    el.followButton.setAttribute('aria-pressed', 'false');
    el.followButton.textContent = 'Follow';
    el.followButton.dataset.topic = topicId;
  }
  const chosen = el.followActor.value;
  el.followActor.replaceChildren(h('option', { value: '' }, 'Every actor on this topic'), ...speaking.map((actor) => h('option', { value: actor.id }, actor.name)));
  el.followActor.value = speaking.some((actor) => actor.id === chosen) ? chosen : '';
}

function toggleFollow(): void {
  const topicId = el.followButton.dataset.topic;
  if (!topicId) return;
  const on = !follow.following;
  if (on) follow.start({ topicId, actorId: el.followActor.value || null });
  else follow.stop();
  el.followButton.setAttribute('aria-pressed', String(on));
  el.followButton.textContent = on ? 'Stop following' : 'Follow';
}

el.followButton.addEventListener('click', toggleFollow);
el.followActor.addEventListener('change', () => {
  const topicId = el.followButton.dataset.topic;
  if (follow.following && topicId) follow.start({ topicId, actorId: el.followActor.value || null });
});

// ---------------------------------------------------------------- URL

function readUrl(): State {
  const params = new URLSearchParams(location.search);
  const day = params.get('date');
  const knownAt = params.get('knownAt');
  return {
    topicId: params.get('topic') || null,
    day: day && isValidDay(day) ? day : null,
    knownAt: knownAt && isValidKnownAt(knownAt) ? knownAt : null,
    showRetracted: params.get('retracted') === 'shown',
    statementId: params.get('statement') || null,
  };
}

/** Writes the state into the URL: `push` for a new view (back returns to the last one), else replace. */
function writeUrl(push = false): void {
  const params = new URLSearchParams();
  if (state.topicId) params.set('topic', state.topicId);
  if (state.day) params.set('date', state.day);
  if (state.knownAt) params.set('knownAt', state.knownAt);
  if (state.showRetracted) params.set('retracted', 'shown');
  if (state.statementId) params.set('statement', state.statementId);
  const url = `${location.pathname}?${params.toString()}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// ---------------------------------------------------------------- messages

function showError(error: unknown): void {
  if (error instanceof DOMException && error.name === 'AbortError') return;
  if (error instanceof ApiError && error.status === 401) {
    el.keyForm.hidden = false;
    el.error.textContent = api.hasKey ? `The API refused the key: ${error.message}` : 'This service needs an API key to read (READ_ACCESS=key): enter one below.';
    return;
  }
  el.error.textContent = error instanceof Error ? error.message : String(error);
}

function clearError(): void {
  el.error.textContent = '';
}

function setBusy(busy: boolean, message = ''): void {
  el.main.setAttribute('aria-busy', String(busy));
  el.status.textContent = message;
}

// ---------------------------------------------------------------- loading

async function start(): Promise<void> {
  setBusy(true, 'Loading topics…');
  try {
    [topics, actors] = await Promise.all([api.topics(), api.actors()]);
  } catch (error) {
    setBusy(false);
    showError(error);
    return;
  }
  el.keyForm.hidden = true;
  clearError();
  names = new Map(actors.map((actor) => [actor.id, actor.name]));
  topics.sort((a, b) => a.title.localeCompare(b.title));
  el.topic.replaceChildren(...topics.map((topic) => h('option', { value: topic.id }, topic.title)));
  if (!state.topicId || !topics.some((topic) => topic.id === state.topicId)) state.topicId = await busiestTopic();
  if (!state.topicId) {
    setBusy(false, 'No topic is registered yet.');
    el.chart.replaceChildren(h('p', { class: 'empty' }, 'No topic is registered yet.'));
    return;
  }
  await loadTopic();
}

/** Without a topic in the URL: the one where most actors hold a position now (of the first 20 by title). */
async function busiestTopic(): Promise<string | null> {
  const candidates = topics.slice(0, 20);
  if (candidates.length <= 1) return candidates[0]?.id ?? null;
  const counts = await Promise.all(candidates.map((topic) => api.landscape(topic.id, dayOf(Date.now()), null).then((l) => l.positions.length, () => 0)));
  let best = 0;
  counts.forEach((count, i) => {
    if (count > counts[best]) best = i;
  });
  return candidates[best].id;
}

async function loadTopic(): Promise<void> {
  const seq = ++loadSeq;
  const topic = topics.find((t) => t.id === state.topicId)!;
  const knownAt = state.knownAt;
  const cutoff = knownAtInstant(knownAt);
  el.topic.value = topic.id;
  el.showRetracted.checked = state.showRetracted;
  renderKnownAtControls();
  renderLegend(topic);
  document.title = `${topic.title} — Positions over time`;
  setBusy(true, `Loading ${topic.title}…`);
  try {
    // One request: every speaking actor's stream (statements, corrections, retractions) and timeline, and the voices.
    const feed = await api.feed(topic.id, knownAt);
    const streams = new Map<string, Envelope[]>();
    const folded = new Map<string, FoldedStatement[]>();
    const timelines = new Map<string, Timeline>();
    for (const { actorId, timeline, events } of feed.actors) {
      if (events.length) streams.set(actorId, events);
      const statements = foldStream(events, cutoff);
      if (statements.length) folded.set(actorId, statements);
      timelines.set(actorId, timeline);
    }
    const speaking = actors.filter((actor) => folded.has(actor.id));
    renderFollow(topic.id, speaking);
    // Retracted statements dated imprecisely are in no timeline: their range comes from the statement's own answer.
    const unplaced = [...folded.entries()].flatMap(([actorId, statements]) => attachRanges(statements, timelines.get(actorId)));
    const answers = await mapLimited(unplaced, 6, (statement) => api.statement(statement.statementId, knownAt).catch(() => null));
    unplaced.forEach((statement, i) => Object.assign(statement, { earliest: answers[i]?.earliest, latest: answers[i]?.latest }));
    const voices = new Map<string, VoiceSample[]>(feed.voices.map((v) => [v.organizationId, v.samples]));
    if (seq !== loadSeq) return;

    const instants = [...folded.values()].flat().flatMap((statement) => bounds(statedBounds(statement)));
    const live = [...timelines.values()].flatMap((timeline) => timeline.entries.flatMap((entry) => bounds(statedBounds(entry))));
    const firstDay = instants.length ? dayOf(Math.min(...instants)) : null;
    const lastDay = live.length ? dayOf(Math.max(...live)) : instants.length ? dayOf(Math.max(...instants)) : null;
    if (!state.day) state.day = lastDay ?? dayOf(Date.now());
    const domain = domainFor(firstDay, lastDay, state.day);
    const lanes = buildLanes({ topic, actors, timelines, streams: folded, voices, end: domain[1] });
    const marks = new Map<string, Mark>();
    for (const lane of lanes) for (const mark of [...lane.retracted, ...lane.marks]) if (!marks.has(mark.statementId) || lane.kind === 'actor') marks.set(mark.statementId, mark);
    loaded = { topic, knownAt, lanes, marks, streams, voices, firstDay, lastDay };
    writeUrl();
    el.day.value = state.day;
    renderMoments(streams);
    drawChart();
    renderStatementLists();
    await refreshLandscape();
    if (state.statementId && marks.has(state.statementId)) await openDetails(marks.get(state.statementId)!, null, false);
    else closeDetails(false);
    setBusy(false, `${topic.title}: ${lanes.length} lanes${knownAt ? `, as known at ${knownAt}` : ''}.`);
    clearError();
  } catch (error) {
    if (seq !== loadSeq) return;
    setBusy(false);
    showError(error);
  }
}

/** The first and last instants of a statement's range, to find the span of them all. */
function bounds(range: { earliest: number; latest: number } | null): number[] {
  return range ? [range.earliest, range.latest] : [];
}

/** The chart's time span: every statement and the cursor, with some room on both sides. */
function domainFor(firstDay: string | null, lastDay: string | null, cursorDay: string): [Date, Date] {
  const starts = [Date.parse(`${cursorDay}T00:00:00Z`)];
  const ends = [cursorInstant(cursorDay)];
  if (firstDay) starts.push(Date.parse(`${firstDay}T00:00:00Z`));
  if (lastDay) ends.push(cursorInstant(lastDay));
  for (const lane of loaded?.lanes ?? []) for (const mark of [...lane.marks, ...lane.retracted]) ends.push(mark.x.getTime());
  const start = Math.min(...starts);
  const end = Math.max(...ends);
  const pad = Math.max(86_400_000, (end - start) * 0.08);
  return [new Date(start - pad), new Date(end + pad)];
}

// ---------------------------------------------------------------- legend and controls

function renderLegend(topic: Topic): void {
  const stances = [...topic.stances].sort((a, b) => b.score - a.score);
  el.legend.replaceChildren(
    h('h2', { id: 'legend-title' }, topic.title),
    h('p', { class: 'proposition' }, h('span', { class: 'label' }, 'Proposition: '), h('q', {}, topic.proposition)),
    h(
      'ol',
      { class: 'codebook', 'aria-label': 'Codebook: the stances, from most for the proposition (+2) to most against (−2)' },
      stances.map((stance) =>
        h('li', { 'data-code': stance.code }, swatch(stance), h('span', { class: 'score' }, `${stance.score > 0 ? '+' : ''}${stance.score}`), h('code', {}, stance.code), h('span', { class: 'stance-label' }, stance.label)),
      ),
    ),
    h(
      'p',
      { class: 'keys' },
      h('span', { class: 'ramp', 'aria-hidden': 'true' }, Object.keys(PALETTE).sort((a, b) => Number(a) - Number(b)).map((score) => h('span', { style: `background:${PALETTE[score]}` }))),
      ' −2 against … +2 for. ',
      '● statement · ◆ half-flip · ★ full-flop · ✎ corrected · ⊗ retracted (when shown) · red dashed outline: spokespeople diverge. ',
      'Bands are the position held until the next statement.',
    ),
  );
}

function renderKnownAtControls(): void {
  el.knownAt.value = state.knownAt ? toLocalInput(state.knownAt) : '';
  el.knownNow.disabled = state.knownAt === null;
  el.replay.hidden = state.knownAt === null;
  el.replay.replaceChildren(
    ...(state.knownAt
      ? [
          h('strong', {}, 'Replaying the record as it stood at '),
          isDate(state.knownAt) ? h('span', {}, `the end of ${state.knownAt} (UTC)`) : utcTime(new Date(knownAtInstant(state.knownAt)).toISOString()),
          ': statements, corrections and retractions recorded later are not shown. ',
        ]
      : []),
  );
}

/** `datetime-local` shows UTC here: the control's label says so. */
function toLocalInput(knownAt: string): string {
  return new Date(knownAtInstant(knownAt)).toISOString().slice(0, 19);
}

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const withSeconds = /T\d{2}:\d{2}$/.test(value) ? `${value}:00` : value;
  const knownAt = `${withSeconds}Z`;
  return isValidKnownAt(knownAt) ? knownAt : null;
}

/** The moments the record of this topic changed, newest first: choosing one replays the record as it stood then. */
function renderMoments(streams: Map<string, Envelope[]>): void {
  const events = [...streams.values()].flat().sort((a, b) => b.position - a.position);
  const verbs: Record<string, string> = { PositionStated: 'statement by', StatementCorrected: 'correction of a statement by', StatementRetracted: 'retraction of a statement by' };
  el.moments.replaceChildren(
    h('option', { value: '' }, 'Jump to a change in the record…'),
    ...events.slice(0, 300).map((event) => {
      const actorId = event.streamId.replace(/^position-/, '').split('.')[0];
      const text = `${event.recordedAt.slice(0, 19).replace('T', ' ')} UTC · ${verbs[event.type] ?? event.type} ${names.get(actorId) ?? actorId} (${event.recordedBy})`;
      return h('option', { value: event.recordedAt, selected: state.knownAt === event.recordedAt }, text);
    }),
  );
}

// ---------------------------------------------------------------- chart and lists

function drawChart(): void {
  if (!loaded || !state.day) return;
  chart?.destroy();
  chart = null;
  if (loaded.lanes.length === 0) {
    el.chart.replaceChildren(
      h('p', { class: 'empty' }, loaded.knownAt ? `No statement on this topic was recorded by ${loaded.knownAt}.` : 'No statement is recorded on this topic yet.'),
    );
    return;
  }
  chart = renderChart(el.chart, {
    lanes: loaded.lanes,
    domain: domainFor(loaded.firstDay, loaded.lastDay, state.day),
    cursorDay: state.day,
    showRetracted: state.showRetracted,
    topicTitle: loaded.topic.title,
    names,
    onSelect: (mark, element) => void openDetails(mark, element, true),
    onCursor: (day, final) => setDay(day, final, false),
  });
}

function renderStatementLists(): void {
  if (!loaded) return;
  const lists = loaded.lanes.map((lane) => {
    const items = [...lane.marks, ...(state.showRetracted ? lane.retracted : [])].sort((a, b) => a.x.getTime() - b.x.getTime());
    const bandOf = (mark: Mark) => lane.bands.find((band) => band.statementId === mark.statementId);
    return h(
      'section',
      { class: `lane-list lane-${lane.kind}`, 'data-lane': lane.key, 'aria-label': lane.label },
      h('h3', {}, lane.label),
      items.length === 0
        ? h('p', { class: 'note' }, 'Only retracted statements (hidden).')
        : h(
            'ol',
            {},
            items.map((mark) => {
              const text = [
                h('span', { class: 'when' }, statedText(mark)),
                mark.range ? h('span', { class: 'range' }, ` (${mark.range})`) : null,
                ' ',
                swatch(mark.stance),
                ' ',
                h('strong', {}, stanceText(mark.stance)),
                mark.speaker && mark.speaker !== lane.actorId ? ` via ${names.get(mark.speaker) ?? mark.speaker}` : '',
                ' — ',
                mark.summary,
              ];
              const notes = [
                mark.shift && mark.shift !== 'first' && mark.shift !== 'no-flip' ? h('em', { class: 'shift' }, ` ${describeShift(mark.shift, mark.direction)}`) : null,
                mark.corrected ? h('span', { class: 'badge' }, 'corrected') : null,
                bandOf(mark)?.divergent ? h('span', { class: 'badge badge-divergent' }, 'spokespeople diverge') : null,
              ];
              const retracted = mark.retracted;
              return h(
                'li',
                { class: retracted ? 'retracted' : '' },
                h(
                  'button',
                  { type: 'button', class: 'statement', 'data-statement-id': mark.statementId, onclick: (event: Event) => void openDetails(mark, event.currentTarget as Element, true) },
                  retracted ? h('s', {}, text) : text,
                  retracted ? h('span', { class: 'badge' }, `retracted: ${retracted.reason}`) : null,
                  notes,
                ),
              );
            }),
          ),
    );
  });
  const hiddenRetracted = loaded.lanes.reduce((sum, lane) => sum + lane.retracted.length, 0);
  el.statements.replaceChildren(
    ...lists,
    !state.showRetracted && hiddenRetracted ? h('p', { class: 'note' }, `${hiddenRetracted} retracted statement${hiddenRetracted > 1 ? 's are' : ' is'} hidden.`) : '',
  );
}

// ---------------------------------------------------------------- the landscape at the cursor

function setDay(day: string, final: boolean, redraw: boolean): void {
  if (!isValidDay(day)) return;
  state.day = day;
  el.day.value = day;
  if (redraw && loaded) {
    const [start, end] = domainFor(loaded.firstDay, loaded.lastDay, day);
    const current = el.chart.querySelector('svg');
    // Outside the drawn span: draw again, wider; inside, only the cursor moves.
    if (!current || cursorInstant(day) > end.getTime() || Date.parse(`${day}T00:00:00Z`) < start.getTime() || !chart) drawChart();
    chart?.setCursor(day);
  }
  // One history entry per move that ends (a drag, a key, the date field), none for each step of a drag.
  if (final) writeUrl(true);
  window.clearTimeout(landscapeTimer);
  if (final) void refreshLandscape();
  else landscapeTimer = window.setTimeout(() => void refreshLandscape(), 120);
}

async function refreshLandscape(): Promise<void> {
  if (!loaded || !state.day) return;
  const seq = ++landscapeSeq;
  const { topic, knownAt, lanes } = loaded;
  const day = state.day;
  el.landscape.setAttribute('aria-busy', 'true');
  try {
    const voiceLanes = lanes.filter((lane) => lane.kind === 'voice');
    const landscape = await api.landscape(topic.id, day, knownAt);
    // The voices come from the feed's samples: no request per organization.
    const voices = voiceLanes.map((lane) => voiceAt(loaded?.voices.get(lane.actorId) ?? [], day, lane.actorId, topic.id));
    if (seq !== landscapeSeq) return;
    const held = new Map<string, Openness & { stance: Stance | null; since: string | null }>(landscape.positions.map((position) => [position.actorId, position]));
    // An actor with no known position may still have an open one: the landscape lists only known positions.
    const open = lanes.filter((lane) => lane.kind === 'actor' && !held.has(lane.actorId) && possiblyStated(lane, day));
    const positions = await Promise.all(open.map((lane) => api.position(lane.actorId, topic.id, day, knownAt).catch((): Position | null => null)));
    if (seq !== landscapeSeq) return;
    open.forEach((lane, i) => {
      const position = positions[i];
      if (position) held.set(lane.actorId, position);
    });
    const voiceOf = new Map<string, Voice>(voiceLanes.map((lane, i) => [lane.actorId, voices[i]]));
    const rows = lanes.map((lane) => {
      if (lane.kind === 'voice') {
        const voice = voiceOf.get(lane.actorId)!;
        const spokespeople = voice.voices.map((v) => `${names.get(v.actorId) ?? v.actorId}: ${stanceText(v.stance)}`).join('; ');
        return h(
          'tr',
          { 'data-voice': lane.actorId, class: voice.divergent ? 'divergent' : '' },
          h('th', { scope: 'row' }, lane.label),
          h(
            'td',
            {},
            voice.stance
              ? [swatch(voice.stance), ' ', h('strong', { class: 'code', title: voice.stance.label }, voice.stance.code), ` (${sign(voice.stance.score)})`]
              : h('span', { class: 'none' }, 'no known position'),
            voice.speaker && voice.speaker !== lane.actorId ? h('div', { class: 'sub' }, `decided by ${names.get(voice.speaker) ?? voice.speaker}`) : null,
            spokespeople ? h('div', { class: 'sub' }, `spokespeople: ${spokespeople}`) : null,
            voice.divergent ? h('div', { class: 'badge badge-divergent' }, 'spokespeople diverge') : null,
            uncertainty(voice),
          ),
          h('td', {}, voice.since ?? ''),
        );
      }
      const position = held.get(lane.actorId);
      return h(
        'tr',
        { 'data-actor': lane.actorId, class: isUncertain(position) ? 'uncertain' : '' },
        h('th', { scope: 'row' }, lane.label),
        h(
          'td',
          {},
          position?.stance
            ? [swatch(position.stance), ' ', h('strong', { class: 'code', title: position.stance.label }, position.stance.code), ` (${sign(position.stance.score)})`]
            : h('span', { class: 'none' }, 'no known position'),
          position ? uncertainty(position) : null,
        ),
        h('td', {}, position?.since ?? ''),
      );
    });
    // Anyone holding a position without a lane (recorded since the page loaded) still shows.
    for (const position of landscape.positions) {
      if (lanes.some((lane) => lane.kind === 'actor' && lane.actorId === position.actorId)) continue;
      rows.push(
        h(
          'tr',
          { 'data-actor': position.actorId },
          h('th', { scope: 'row' }, names.get(position.actorId) ?? position.actorId),
          h('td', {}, swatch(position.stance), ' ', h('strong', { class: 'code' }, position.stance?.code ?? '')),
          h('td', {}, position.since),
        ),
      );
    }
    el.landscape.replaceChildren(
      h('h2', { id: 'landscape-title' }, 'Landscape on ', h('time', { datetime: day }, day)),
      h('p', { class: 'sub' }, `Who holds what at the end of ${day}, and since when${knownAt ? `, as known at ${knownAt}` : ''}.`),
      h(
        'table',
        { class: 'landscape', 'aria-describedby': 'landscape-title' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Actor'), h('th', { scope: 'col' }, 'Position'), h('th', { scope: 'col' }, 'Since'))),
        h('tbody', {}, rows),
      ),
    );
    el.landscape.setAttribute('data-day', day);
  } catch (error) {
    if (seq === landscapeSeq) showError(error);
  } finally {
    if (seq === landscapeSeq) el.landscape.setAttribute('aria-busy', 'false');
  }
}

/** The mark of a position the sources leave open: a badge, and the other answers they allow, with who gave them. */
function uncertainty(answer: Openness): (HTMLElement | string)[] | null {
  if (!isUncertain(answer)) return null;
  const speakerOf = (statementId: string) => {
    const actorId = loaded?.marks.get(statementId)?.actorId;
    return actorId ? (names.get(actorId) ?? actorId) : null;
  };
  const others = alternativesText(answer, speakerOf);
  return [
    ' ',
    h('span', { class: 'badge badge-uncertain', title: 'A statement that may have been made by this day would give another answer' }, 'uncertain'),
    others ? h('div', { class: 'sub alternatives' }, others) : null,
  ].filter((element): element is HTMLElement | string => element !== null);
}

function sign(score: number): string {
  return `${score > 0 ? '+' : ''}${score}`;
}

// ---------------------------------------------------------------- the statement panel

async function openDetails(mark: Mark, from: Element | null, focus: boolean): Promise<void> {
  if (!loaded) return;
  detailsReturnFocus = from;
  state.statementId = mark.statementId;
  writeUrl(focus);
  el.details.hidden = false;
  el.details.setAttribute('aria-busy', 'true');
  el.details.setAttribute('data-statement-id', mark.statementId);
  for (const selected of document.querySelectorAll('[aria-current="true"]')) selected.removeAttribute('aria-current');
  for (const same of document.querySelectorAll(`[data-statement-id="${CSS.escape(mark.statementId)}"]`)) if (same !== el.details) same.setAttribute('aria-current', 'true');
  try {
    await renderDetails(el.details, mark, { api, topic: loaded.topic, knownAt: loaded.knownAt, names });
    if (focus) byId('details-title').focus();
  } catch (error) {
    showError(error);
  } finally {
    el.details.setAttribute('aria-busy', 'false');
  }
}

function closeDetails(returnFocus: boolean): void {
  const was = state.statementId;
  state.statementId = null;
  el.details.hidden = true;
  el.details.replaceChildren();
  el.details.removeAttribute('data-statement-id');
  for (const selected of document.querySelectorAll('[aria-current="true"]')) selected.removeAttribute('aria-current');
  writeUrl();
  if (returnFocus && was) {
    const target =
      detailsReturnFocus && document.contains(detailsReturnFocus) ? detailsReturnFocus : document.querySelector(`button[data-statement-id="${CSS.escape(was)}"]`);
    (target as HTMLElement | SVGElement | null)?.focus();
  }
}

// ---------------------------------------------------------------- events

el.topic.addEventListener('change', () => {
  state.topicId = el.topic.value;
  state.day = null;
  state.statementId = null;
  writeUrl(true);
  void loadTopic();
});

el.day.addEventListener('change', () => {
  if (isValidDay(el.day.value)) setDay(el.day.value, true, true);
});

el.knownAt.addEventListener('change', () => {
  const knownAt = fromLocalInput(el.knownAt.value);
  if (el.knownAt.value && !knownAt) return;
  state.knownAt = knownAt;
  writeUrl(true);
  void loadTopic();
});

el.knownNow.addEventListener('click', () => {
  state.knownAt = null;
  writeUrl(true);
  void loadTopic();
});

el.moments.addEventListener('change', () => {
  state.knownAt = el.moments.value || null;
  writeUrl(true);
  void loadTopic();
});

el.showRetracted.addEventListener('change', () => {
  state.showRetracted = el.showRetracted.checked;
  writeUrl();
  drawChart();
  renderStatementLists();
});

el.details.addEventListener('close', () => closeDetails(true));
el.details.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeDetails(true);
});

byId('controls').addEventListener('submit', (event) => event.preventDefault());

el.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  api.setKey(el.keyInput.value);
  el.keyInput.value = '';
  void start();
});

window.addEventListener('popstate', () => {
  const next = readUrl();
  const reload = next.topicId !== state.topicId || next.knownAt !== state.knownAt;
  Object.assign(state, next);
  if (reload || !loaded) void loadTopic();
  else {
    el.showRetracted.checked = state.showRetracted;
    drawChart();
    renderStatementLists();
    if (state.day) {
      el.day.value = state.day;
      void refreshLandscape();
    }
    const mark = state.statementId ? loaded.marks.get(state.statementId) : undefined;
    if (mark) void openDetails(mark, null, false);
    else closeDetails(false);
  }
});

let resizeTimer: number | undefined;
let lastWidth = el.chart.clientWidth;
new ResizeObserver(() => {
  if (Math.abs(el.chart.clientWidth - lastWidth) < 8) return;
  lastWidth = el.chart.clientWidth;
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(drawChart, 150);
}).observe(el.chart);

void start();
