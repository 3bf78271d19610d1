/**
 * The positions page: pick a topic, see one lane per actor over time, move a date cursor to see the landscape at
 * that date, replay the record as known at a past moment, open a statement and its history. State lives in the URL.
 */
import './style.css';
import { type Actor, Api, ApiError, type Envelope, type Openness, type Position, type Stance, type Timeline, type Topic, type TopicFeed, type Voice, readableError } from './api';
import { type ChartHandle, cursorDays, PALETTE, renderChart } from './chart';
import { renderDetails, swatch } from './details';
import { byId, h, utcTime } from './dom';
import { chartSvg, download, svgToPng, toCsv } from './export';
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
  knownAtFromInput,
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
  /** Zoom: the first and last days drawn (null: the whole record). */
  from: string | null;
  to: string | null;
  /** Organizations' voice lanes (collapsed unless asked for). */
  showVoices: boolean;
  /** Actors pinned to the top of the chart, to compare them. */
  pins: string[];
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
  /** The first and last instants any statement is drawn at (retracted ones too). */
  span: [number, number] | null;
  /** The newest record time of the topic's events: a link pinned to it shows the same record later. */
  lastRecorded: string | null;
}

const api = new Api();
/** `/embed`: the same view, read-only, for an iframe elsewhere (the service allows framing of that path only). */
const embedded = location.pathname.replace(/\/+$/, '') === '/embed';
if (embedded) document.body.classList.add('embed');
const initial = readUrl();
const state: State = initial.state;
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
  notice: byId('notice'),
  legend: byId('legend'),
  chart: byId('chart'),
  landscape: byId('landscape'),
  details: byId('details'),
  statements: byId('statement-lists'),
  keyForm: byId<HTMLFormElement>('key-form'),
  keyInput: byId<HTMLInputElement>('api-key'),
  followActor: byId<HTMLSelectElement>('follow-actor'),
  followButton: byId<HTMLButtonElement>('follow-button'),
  search: byId<HTMLInputElement>('lane-search'),
  filterKind: byId<HTMLSelectElement>('filter-kind'),
  filterOrg: byId<HTMLSelectElement>('filter-org'),
  showVoices: byId<HTMLInputElement>('show-voices'),
  voicesCount: byId('voices-count'),
  laneCount: byId('lane-count'),
  axis: byId('axis'),
  zoomFrom: byId<HTMLInputElement>('zoom-from'),
  zoomTo: byId<HTMLInputElement>('zoom-to'),
  zoomReset: byId<HTMLButtonElement>('zoom-reset'),
  cite: byId('cite'),
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

/**
 * The state a URL asks for. A parameter that is not a real value (a typo in a shared link) falls
 * back to its default, and `problems` says so in words the page shows.
 */
function readUrl(): { state: State; problems: string[] } {
  const params = new URLSearchParams(location.search);
  const problems: string[] = [];
  const valid = (name: string, test: (value: string) => boolean, what: string, fallback: string): string | null => {
    const value = params.get(name);
    if (value === null || value === '') return null;
    if (test(value)) return value;
    problems.push(`The link's ${name} “${value}” is not ${what}: showing ${fallback} instead.`);
    return null;
  };
  const day = valid('date', isValidDay, 'a real day (YYYY-MM-DD)', 'the day of the latest statement');
  const knownAt = valid('knownAt', isValidKnownAt, 'a real moment (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ)', 'the record as it stands now');
  let from = valid('from', isValidDay, 'a real day (YYYY-MM-DD)', 'the whole record');
  let to = valid('to', isValidDay, 'a real day (YYYY-MM-DD)', 'the whole record');
  if (from && to && from > to) {
    problems.push(`The link's zoom runs backwards (${from} to ${to}): showing the whole record instead.`);
    from = to = null;
  }
  const state = {
    topicId: params.get('topic') || null,
    day,
    knownAt,
    showRetracted: params.get('retracted') === 'shown',
    statementId: params.get('statement') || null,
    from,
    to,
    showVoices: params.get('voices') === 'shown',
    pins: (params.get('pin') ?? '').split(',').filter(Boolean).slice(0, 3),
  };
  return { state, problems };
}

/** Writes the state into the URL: `push` for a new view (back returns to the last one), else replace. */
function writeUrl(push = false): void {
  const params = new URLSearchParams();
  if (state.topicId) params.set('topic', state.topicId);
  if (state.day) params.set('date', state.day);
  if (state.knownAt) params.set('knownAt', state.knownAt);
  if (state.showRetracted) params.set('retracted', 'shown');
  if (state.statementId) params.set('statement', state.statementId);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.showVoices) params.set('voices', 'shown');
  if (state.pins.length) params.set('pin', state.pins.join(','));
  const url = `${location.pathname}?${params.toString()}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// ---------------------------------------------------------------- messages

/** A failed request: what happened in words, and a Retry button that runs `retry` (by default, loading again). */
function showError(error: unknown, retry: () => void = () => void (topics.length ? loadTopic() : start())): void {
  if (error instanceof DOMException && error.name === 'AbortError') return;
  if (error instanceof ApiError && error.status === 401) {
    el.keyForm.hidden = false;
    el.error.textContent = api.hasKey
      ? `The API refused the key: ${error.message}`
      : 'This service needs an API key to read (READ_ACCESS=key): enter one in the “API key” field.';
    return;
  }
  const button = h('button', { type: 'button', class: 'retry', onclick: () => {
    clearError();
    retry();
  } }, 'Retry');
  el.error.replaceChildren(h('span', {}, readableError(error)), ' ', button);
}

function clearError(): void {
  el.error.replaceChildren();
}

/** Messages about the page's own input (a bad link), shown until the next change of view. */
function showNotice(messages: string[]): void {
  el.notice.hidden = messages.length === 0;
  el.notice.replaceChildren(...messages.map((message) => h('p', {}, message)));
}

api.onWait = (seconds) => {
  el.status.textContent = `The service is busy: trying again in ${seconds} s.`;
  el.error.replaceChildren(h('span', {}, `The service is busy: trying again in ${seconds} s…`));
};

function setBusy(busy: boolean, message = ''): void {
  el.main.setAttribute('aria-busy', String(busy));
  el.status.textContent = message;
}

// ---------------------------------------------------------------- loading

async function start(): Promise<void> {
  setBusy(true, 'Loading topics…');
  showNotice(initial.problems);
  try {
    topics = await api.topics();
  } catch (error) {
    setBusy(false);
    showError(error);
    return;
  }
  el.keyForm.hidden = true;
  clearError();
  topics.sort((a, b) => a.title.localeCompare(b.title));
  el.topic.replaceChildren(...topics.map((topic) => h('option', { value: topic.id }, topic.title)));
  if (state.topicId && !topics.some((topic) => topic.id === state.topicId)) {
    showNotice([...initial.problems, `The link's topic “${state.topicId}” is not on this service: showing another instead.`]);
    state.topicId = null;
  }
  if (!state.topicId) state.topicId = busiestTopic();
  if (!state.topicId) {
    setBusy(false, 'No topic is registered yet.');
    el.chart.replaceChildren(h('p', { class: 'empty' }, 'No topic is registered yet.'));
    return;
  }
  await loadTopic();
}

/** Without a topic in the URL: the one most actors spoke on (the list of topics counts them), first by title on a tie. */
function busiestTopic(): string | null {
  let best: Topic | null = null;
  for (const topic of topics) if (!best || (topic.speakers ?? 0) > (best.speakers ?? 0)) best = topic;
  return best?.id ?? null;
}

async function loadTopic(): Promise<void> {
  const seq = ++loadSeq;
  const topic = topics.find((t) => t.id === state.topicId)!;
  const knownAt = state.knownAt;
  const cutoff = knownAtInstant(knownAt);
  el.topic.value = topic.id;
  el.showRetracted.checked = state.showRetracted;
  el.showVoices.checked = state.showVoices;
  renderKnownAtControls();
  renderZoom();
  renderLegend(topic);
  document.title = `${topic.title} — Positions over time`;
  setBusy(true, `Loading ${topic.title}…`);
  try {
    // One request: every speaking actor's stream and timeline, the voices, and the actors it names.
    const feed = await api.feed(topic.id, knownAt);
    if (seq !== loadSeq) return;
    actors = feed.directory;
    names = new Map(actors.map((actor) => [actor.id, actor.name]));
    const { streams, folded, timelines } = foldFeed(feed, cutoff);
    renderFollow(topic.id, actors.filter((actor) => folded.has(actor.id)));
    const voices = new Map<string, VoiceSample[]>(feed.voices.map((v) => [v.organizationId, v.samples]));

    const instants = [...folded.values()].flat().flatMap((statement) => bounds(statedBounds(statement)));
    const live = [...timelines.values()].flatMap((timeline) => timeline.entries.flatMap((entry) => bounds(statedBounds(entry))));
    const firstDay = instants.length ? dayOf(Math.min(...instants)) : null;
    const lastDay = live.length ? dayOf(Math.max(...live)) : instants.length ? dayOf(Math.max(...instants)) : null;
    if (!state.day) state.day = lastDay ?? dayOf(Date.now());
    // Bands run to the far future; the chart clips them at the edge of what it draws.
    const lanes = buildLanes({ topic, actors, timelines, streams: folded, voices, end: new Date(FAR_FUTURE) });
    const marks = new Map<string, Mark>();
    for (const lane of lanes) for (const mark of [...lane.retracted, ...lane.marks]) if (!marks.has(mark.statementId) || lane.kind === 'actor') marks.set(mark.statementId, mark);
    const drawn = [...marks.values()].flatMap((mark) => [mark.x.getTime(), ...(mark.span ? [mark.span.from.getTime(), mark.span.to.getTime()] : [])]);
    const span: [number, number] | null = drawn.length ? [Math.min(...drawn), Math.max(...drawn)] : null;
    const recorded = [...streams.values()].flat().map((event) => event.recordedAt).sort();
    loaded = { topic, knownAt, lanes, marks, streams, voices, firstDay, lastDay, span, lastRecorded: recorded.at(-1) ?? null };
    writeUrl();
    el.day.value = state.day;
    renderMoments(streams);
    renderFilters();
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

/** The feed's actors as the page draws them: streams, statements folded as known at `cutoff` (with their ranges), timelines. */
function foldFeed(feed: TopicFeed, cutoff: number) {
  const streams = new Map<string, Envelope[]>();
  const folded = new Map<string, FoldedStatement[]>();
  const timelines = new Map<string, Timeline>();
  for (const { actorId, timeline, events, retracted } of feed.actors) {
    if (events.length) streams.set(actorId, events);
    const statements = foldStream(events, cutoff);
    // Retracted statements are in no timeline: the feed gives their ranges.
    const ranges = new Map((retracted ?? []).map((r) => [r.statementId, r]));
    for (const statement of statements) {
      const range = ranges.get(statement.statementId);
      if (range) Object.assign(statement, { earliest: range.earliest, latest: range.latest });
    }
    attachRanges(statements, timeline);
    if (statements.length) folded.set(actorId, statements);
    timelines.set(actorId, timeline);
  }
  return { streams, folded, timelines };
}

/** Where a band with no later statement ends before the chart clips it. */
const FAR_FUTURE = Date.parse('9999-01-01T00:00:00Z');

/** The first and last instants of a statement's range, to find the span of them all. */
function bounds(range: { earliest: number; latest: number } | null): number[] {
  return range ? [range.earliest, range.latest] : [];
}

/**
 * The chart's time span, from the topic being drawn: every mark it draws (retracted ones too) and
 * the cursor, with some room on both sides; or the zoom the URL asks for.
 */
function domainFor(drawn: Loaded, cursorDay: string): [Date, Date] {
  if (state.from || state.to) {
    const start = Date.parse(`${state.from ?? drawn.firstDay ?? cursorDay}T00:00:00Z`);
    const end = cursorInstant(state.to ?? drawn.lastDay ?? cursorDay);
    return [new Date(start), new Date(Math.max(end, start + 86_400_000))];
  }
  const starts = [Date.parse(`${cursorDay}T00:00:00Z`)];
  const ends = [cursorInstant(cursorDay)];
  if (drawn.span) {
    starts.push(drawn.span[0]);
    ends.push(drawn.span[1]);
  }
  if (drawn.lastDay) ends.push(cursorInstant(drawn.lastDay));
  const start = Math.min(...starts);
  const end = Math.max(...ends);
  const pad = Math.max(86_400_000, (end - start) * 0.04);
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
      '● statement · ◆ half-flip · ★ full-flop · ✎ corrected · ⊗ retracted (when shown) · red dashed outline: spokespeople diverge · “new speaker”: someone else speaks for the organization. ',
      'Bands are the position held until the next statement; hatched bands are against the proposition. See “How to read this”.',
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


/** The moments the record of this topic changed, newest first, each saying what changed: choosing one replays the record as it stood then. */
function renderMoments(streams: Map<string, Envelope[]>): void {
  const events = [...streams.values()].flat().sort((a, b) => b.position - a.position);
  const stances = new Map(loaded?.topic.stances.map((stance) => [stance.code, stance]) ?? []);
  const said = new Map<string, { stance: string; statedOn: string }>();
  for (const event of [...events].reverse()) if (event.type === 'PositionStated') said.set(String(event.data.statementId), event.data as { stance: string; statedOn: string });
  const what = (event: Envelope): string => {
    const data = event.data as Record<string, unknown>;
    const statement = said.get(String(data.statementId));
    const about = statement ? `${stanceText(stances.get(statement.stance) ?? null)} for ${statement.statedOn}` : '';
    if (event.type === 'PositionStated') return `said ${about}`;
    if (event.type === 'StatementCorrected') return `statement (${about}) corrected: ${Object.keys((data.changes ?? {}) as object).join(', ')}`;
    if (event.type === 'StatementRetracted') return `statement (${about}) retracted`;
    return event.type;
  };
  el.moments.replaceChildren(
    h('option', { value: '' }, `Jump to a change in the record (${events.length})…`),
    ...events.map((event) => {
      const actorId = event.streamId.replace(/^position-/, '').split('.')[0];
      const text = `${event.recordedAt.slice(0, 19).replace('T', ' ')} UTC · ${names.get(actorId) ?? actorId} ${what(event)}`;
      return h('option', { value: event.recordedAt, selected: state.knownAt === event.recordedAt }, text);
    }),
  );
}

// ---------------------------------------------------------------- narrowing: search, filters, voices, pins

/** The organizations the topic's actors belong to, and the kinds among them, to filter by. */
function renderFilters(): void {
  if (!loaded) return;
  const inLanes = new Set(loaded.lanes.map((lane) => lane.actorId));
  const orgIds = new Set(actors.filter((actor) => inLanes.has(actor.id)).flatMap((actor) => actor.affiliations.map((a) => a.organizationId)));
  const chosen = el.filterOrg.value;
  el.filterOrg.replaceChildren(
    h('option', { value: '' }, 'Any organization'),
    ...[...orgIds].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b)).map((id) => h('option', { value: id }, names.get(id) ?? id)),
  );
  el.filterOrg.value = orgIds.has(chosen) ? chosen : '';
  const voices = loaded.lanes.filter((lane) => lane.kind === 'voice').length;
  el.voicesCount.textContent = String(voices);
  el.showVoices.disabled = voices === 0;
}

/** The lanes on screen: pinned ones first, then those the search and filters keep; voice lanes only when shown. */
function visibleLanes(withVoices = state.showVoices): Lane[] {
  if (!loaded) return [];
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  const words = el.search.value.trim().toLocaleLowerCase();
  const kind = el.filterKind.value;
  const org = el.filterOrg.value;
  const keep = (lane: Lane) => {
    if (lane.kind === 'voice' && !withVoices) return false;
    const actor = byId.get(lane.actorId);
    if (words && !`${lane.label} ${actor?.aliases.join(' ') ?? ''}`.toLocaleLowerCase().includes(words)) return false;
    if (kind && actor?.kind !== kind) return false;
    if (org && lane.actorId !== org && !actor?.affiliations.some((a) => a.organizationId === org)) return false;
    return true;
  };
  const pinned = state.pins.flatMap((id) => loaded!.lanes.filter((lane) => lane.kind === 'actor' && lane.actorId === id));
  return [...pinned, ...loaded.lanes.filter((lane) => !pinned.includes(lane) && keep(lane))];
}

function togglePin(actorId: string): void {
  if (state.pins.includes(actorId)) state.pins = state.pins.filter((id) => id !== actorId);
  else if (state.pins.length < 3) state.pins = [...state.pins, actorId];
  else {
    showNotice(['Up to three actors can be pinned: unpin one first.']);
    return;
  }
  writeUrl();
  redraw();
  void refreshLandscape();
}

function redraw(): void {
  drawChart();
  renderStatementLists();
}

// ---------------------------------------------------------------- chart and lists

function drawChart(): void {
  if (!loaded || !state.day) return;
  chart?.destroy();
  chart = null;
  const lanes = visibleLanes();
  el.laneCount.textContent = `${lanes.length} of ${loaded.lanes.length} lanes shown${state.pins.length ? `, ${state.pins.length} pinned` : ''}.`;
  if (loaded.lanes.length === 0 || lanes.length === 0) {
    el.axis.replaceChildren();
    el.chart.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        loaded.lanes.length
          ? 'No lane matches the search and filters.'
          : loaded.knownAt
            ? `No statement on this topic was recorded by ${loaded.knownAt}.`
            : 'No statement is recorded on this topic yet.',
      ),
    );
    return;
  }
  const domain = domainFor(loaded, state.day);
  const cursorDay = clampDay(state.day, domain);
  chart = renderChart(el.chart, {
    lanes,
    domain,
    axis: el.axis,
    cursorDay,
    firstStatementDay: loaded.firstDay,
    lastStatementDay: loaded.lastDay,
    showRetracted: state.showRetracted,
    topicTitle: loaded.topic.title,
    names,
    selectedId: state.statementId,
    onSelect: (mark, element) => void openDetails(mark, element, true),
    onCursor: (day, final, fromKey) => setDay(day, final, false, fromKey),
  });
}

/** A day inside the drawn span: the first or last day drawn when outside. */
function clampDay(day: string, domain: [Date, Date]): string {
  const [first, last] = cursorDays(domain);
  return day < first ? first : day > last ? last : day;
}

/** A statement's source as a link (opens elsewhere), or its title; nothing when it has none. */
function sourceLink(mark: Mark): HTMLElement | null {
  const source = mark.source;
  if (!source || (!source.url && !source.title)) return null;
  const text = source.publisher ? `${source.title ?? 'source'} — ${source.publisher}` : (source.title ?? 'source');
  return source.url
    ? h('a', { class: 'source-link', href: source.url, target: '_blank', rel: 'noopener noreferrer' }, text)
    : h('span', { class: 'source-link' }, text);
}

function statementItem(lane: Lane, mark: Mark): HTMLElement {
  const band = lane.bands.find((b) => b.statementId === mark.statementId);
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
    mark.newSpeaker ? h('em', { class: 'shift speaker' }, ' new speaker') : null,
    mark.shift && mark.shift !== 'first' && mark.shift !== 'no-flip' ? h('em', { class: 'shift' }, ` ${describeShift(mark.shift, mark.direction)}`) : null,
    mark.corrected ? h('span', { class: 'badge' }, 'corrected') : null,
    band?.divergent ? h('span', { class: 'badge badge-divergent' }, 'spokespeople diverge') : null,
  ];
  const retracted = mark.retracted;
  const source = sourceLink(mark);
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
    source ? h('span', { class: 'source-line' }, 'Source: ', source) : null,
  );
}

/** The statements of the lanes on screen, one collapsible section per lane (open when there are few). */
function renderStatementLists(): void {
  if (!loaded) return;
  const lanes = visibleLanes();
  const open = lanes.length <= 8;
  const lists = lanes.map((lane) => {
    const items = [...lane.marks, ...(state.showRetracted ? lane.retracted : [])].sort((a, b) => a.x.getTime() - b.x.getTime());
    return h(
      'details',
      { class: `lane-list lane-${lane.kind}`, 'data-lane': lane.key, open },
      h('summary', {}, h('h3', {}, lane.label), h('span', { class: 'count' }, ` (${items.length})`)),
      items.length === 0 ? h('p', { class: 'note' }, 'Only retracted statements (hidden).') : h('ol', {}, items.map((mark) => statementItem(lane, mark))),
    );
  });
  const hiddenRetracted = lanes.reduce((sum, lane) => sum + lane.retracted.length, 0);
  el.statements.replaceChildren(
    ...lists,
    !state.showRetracted && hiddenRetracted ? h('p', { class: 'note' }, `${hiddenRetracted} retracted statement${hiddenRetracted > 1 ? 's are' : ' is'} hidden.`) : '',
  );
}

// ---------------------------------------------------------------- the landscape at the cursor

/**
 * Moves the date cursor. A move that ends (a drag, the date field) is a new history entry; a key
 * press replaces the current one, so Back leaves the page after any number of presses.
 */
function setDay(day: string, final: boolean, redraw: boolean, fromKey = false): void {
  if (!isValidDay(day)) return;
  state.day = day;
  el.day.value = day;
  if (redraw && loaded && ((state.from && day < state.from) || (state.to && day > state.to))) {
    // A day typed outside the zoom: show the whole record again rather than a cursor off the chart.
    state.from = state.to = null;
    renderZoom();
    drawChart();
  }
  if (redraw && loaded) {
    const [start, end] = domainFor(loaded, day);
    const current = el.chart.querySelector('svg');
    // Outside the drawn span: draw again, wider; inside, only the cursor moves.
    if (!current || cursorInstant(day) > end.getTime() || Date.parse(`${day}T00:00:00Z`) < start.getTime() || !chart) drawChart();
    chart?.setCursor(day);
  }
  if (final) writeUrl(!fromKey);
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
    const held = new Map<string, Openness & { stance: Stance | null; since: string | null; statementId?: string | null }>(
      landscape.positions.map((position) => [position.actorId, position]),
    );
    // An actor with no known position may still have an open one: the landscape lists only known positions.
    const open = lanes.filter((lane) => lane.kind === 'actor' && !held.has(lane.actorId) && possiblyStated(lane, day));
    const positions = await Promise.all(open.map((lane) => api.position(lane.actorId, topic.id, day, knownAt).catch((): Position | null => null)));
    if (seq !== landscapeSeq) return;
    open.forEach((lane, i) => {
      const position = positions[i];
      if (position) held.set(lane.actorId, { ...position, statementId: position.statement?.statementId ?? null });
    });
    const voiceOf = new Map<string, Voice>(voiceLanes.map((lane, i) => [lane.actorId, voices[i]]));
    const rows: LandscapeRow[] = lanes.map((lane) => {
      if (lane.kind === 'voice') {
        const voice = voiceOf.get(lane.actorId)!;
        const spokespeople = voice.voices.map((v) => `${names.get(v.actorId) ?? v.actorId}: ${stanceText(v.stance)}`).join('; ');
        const notes = [
          voice.speaker && voice.speaker !== lane.actorId ? h('div', { class: 'sub' }, `decided by ${names.get(voice.speaker) ?? voice.speaker}`) : null,
          spokespeople ? h('div', { class: 'sub' }, `spokespeople: ${spokespeople}`) : null,
          voice.divergent ? h('div', { class: 'badge badge-divergent' }, 'spokespeople diverge') : null,
          uncertainty(voice),
        ];
        return { lane, stance: voice.stance, since: voice.since, statementId: voice.statement?.statementId ?? null, notes, divergent: voice.divergent, uncertain: isUncertain(voice) };
      }
      const position = held.get(lane.actorId);
      return { lane, stance: position?.stance ?? null, since: position?.since ?? null, statementId: position?.statementId ?? null, notes: [position ? uncertainty(position) : null], divergent: false, uncertain: isUncertain(position) };
    });
    lastRows = { day, knownAt, rows };
    renderLandscape();
    // One sentence for screen readers, not the whole table on every move of the cursor.
    el.status.textContent = `Landscape on ${day}: ${landscape.positions.length} actors hold a position.`;
    el.landscape.setAttribute('data-day', day);
  } catch (error) {
    if (seq === landscapeSeq) showError(error);
  } finally {
    if (seq === landscapeSeq) el.landscape.setAttribute('aria-busy', 'false');
  }
}

/** One row of the landscape: a lane's position at the cursor. */
interface LandscapeRow {
  lane: Lane;
  stance: Stance | null;
  since: string | null;
  statementId: string | null;
  notes: ((HTMLElement | string)[] | HTMLElement | null)[];
  divergent: boolean;
  uncertain: boolean;
}

type SortKey = 'order' | 'actor' | 'score' | 'since';
let landscapeSort: { key: SortKey; descending: boolean } = { key: 'order', descending: false };
let lastRows: { day: string; knownAt: string | null; rows: LandscapeRow[] } | null = null;

function sortedRows(rows: LandscapeRow[]): LandscapeRow[] {
  const { key, descending } = landscapeSort;
  if (key === 'order') return rows;
  const value = (row: LandscapeRow): string | number => (key === 'actor' ? row.lane.label : key === 'score' ? (row.stance?.score ?? -99) : (row.since ?? ''));
  const sorted = [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  });
  return descending ? sorted.reverse() : sorted;
}

function sortHeader(key: SortKey, label: string): HTMLElement {
  const active = landscapeSort.key === key;
  const sort = active ? (landscapeSort.descending ? 'descending' : 'ascending') : null;
  const button = h('button', { type: 'button', class: 'sort', onclick: () => {
    landscapeSort = { key, descending: active ? !landscapeSort.descending : key !== 'actor' };
    renderLandscape();
    (el.landscape.querySelector(`button.sort[data-key="${key}"]`) as HTMLElement | null)?.focus();
  }, 'data-key': key }, label, h('span', { 'aria-hidden': 'true' }, active ? (landscapeSort.descending ? ' ▼' : ' ▲') : ' ↕'));
  return h('th', { scope: 'col', 'aria-sort': sort }, button);
}

/** The landscape table from the last answer, in the chosen order; each position opens its statement. */
function renderLandscape(): void {
  if (!lastRows || !loaded) return;
  const { day, knownAt } = lastRows;
  const shown = new Set(visibleLanes(true));
  const rows = lastRows.rows.filter((row) => shown.has(row.lane));
  const body = sortedRows(rows).map((row) => {
    const { lane } = row;
    const mark = row.statementId ? loaded?.marks.get(row.statementId) : undefined;
    const stance = row.stance
      ? [swatch(row.stance), ' ', h('strong', { class: 'code', title: row.stance.label }, row.stance.code), ` (${sign(row.stance.score)})`]
      : h('span', { class: 'none' }, 'no known position');
    const pinned = state.pins.includes(lane.actorId);
    return h(
      'tr',
      { [lane.kind === 'voice' ? 'data-voice' : 'data-actor']: lane.actorId, class: [row.divergent ? 'divergent' : '', row.uncertain ? 'uncertain' : ''].join(' ').trim() },
      h(
        'th',
        { scope: 'row' },
        lane.label,
        lane.kind === 'actor'
          ? h('button', { type: 'button', class: 'pin', 'aria-pressed': String(pinned), 'aria-label': `${pinned ? 'Unpin' : 'Pin'} ${lane.label}`, title: pinned ? 'Unpin' : 'Pin to the top of the chart', onclick: () => togglePin(lane.actorId) }, pinned ? '★' : '☆')
          : null,
      ),
      h(
        'td',
        {},
        mark
          ? h('button', { type: 'button', class: 'open-statement', 'data-statement-id': mark.statementId, 'aria-label': `${lane.label}: ${stanceText(row.stance)} — open the statement`, onclick: (event: Event) => void openDetails(mark, event.currentTarget as Element, true) }, stance)
          : stance,
        row.notes,
      ),
      h('td', {}, row.since ?? ''),
    );
  });
  el.landscape.replaceChildren(
    h('h2', { id: 'landscape-title' }, 'Landscape on ', h('time', { datetime: day }, day)),
    h('p', { class: 'sub' }, `Who holds what at the end of ${day}, and since when${knownAt ? `, as known at ${knownAt}` : ''}. ${rows.length} rows.`),
    h(
      'table',
      { class: 'landscape', 'aria-describedby': 'landscape-title' },
      h('thead', {}, h('tr', {}, sortHeader('actor', 'Actor'), sortHeader('score', 'Position'), sortHeader('since', 'Since'))),
      h('tbody', {}, body),
    ),
  );
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
      detailsReturnFocus && document.contains(detailsReturnFocus)
        ? detailsReturnFocus
        : // The chart was drawn again meanwhile (a resize): the same statement's new mark, else its list entry.
          (document.querySelector(`#chart [role="button"][data-statement-id="${CSS.escape(was)}"]`) ?? document.querySelector(`button[data-statement-id="${CSS.escape(was)}"]`));
    (target as HTMLElement | SVGElement | null)?.focus();
  }
}

// ---------------------------------------------------------------- share and export

/** The view's link with the record time pinned (the newest record shown, when the page shows the latest): it shows the same later. */
function pinnedLink(): string {
  const url = new URL(location.href);
  url.pathname = '/';
  const knownAt = state.knownAt ?? loaded?.lastRecorded ?? null;
  if (knownAt) url.searchParams.set('knownAt', knownAt);
  return url.toString();
}

async function copyLink(): Promise<void> {
  if (!loaded || !state.day) return;
  const link = pinnedLink();
  const knownAt = state.knownAt ?? loaded.lastRecorded ?? 'now';
  const citation = `“${loaded.topic.title}”: positions at the end of ${state.day}, as the record stood at ${knownAt}. Positions over time, ${link} (retrieved ${new Date().toISOString().slice(0, 10)}).`;
  el.cite.hidden = false;
  el.cite.replaceChildren(h('span', { class: 'label' }, 'Cite as: '), citation);
  try {
    await navigator.clipboard.writeText(link);
    el.status.textContent = 'Link copied, with the record time pinned.';
  } catch {
    el.status.textContent = 'The link is below: copy it from there.';
  }
}

function exportLandscape(): void {
  if (!lastRows || !loaded) return;
  const shown = new Set(visibleLanes(true));
  const rows = sortedRows(lastRows.rows.filter((row) => shown.has(row.lane))).map((row) => [
    row.lane.kind === 'voice' ? `${row.lane.actorId} (voice)` : row.lane.actorId,
    row.lane.label,
    row.stance?.code ?? '',
    row.stance?.score ?? '',
    row.since ?? '',
    row.uncertain ? 'uncertain' : 'certain',
    row.statementId ?? '',
  ]);
  const csv = toCsv(['actorId', 'name', 'stance', 'score', 'since', 'certainty', 'statementId'], rows);
  download(`${loaded.topic.id}-landscape-${lastRows.day}.csv`, 'text/csv;charset=utf-8', csv);
}

function exportStatements(): void {
  if (!loaded) return;
  const rows = visibleLanes().flatMap((lane) =>
    [...lane.marks, ...(state.showRetracted ? lane.retracted : [])].map((mark) => [
      lane.label,
      mark.actorId,
      mark.speaker ?? mark.actorId,
      mark.statementId,
      mark.statedOn,
      mark.stance?.code ?? '',
      mark.stance?.score ?? '',
      mark.newSpeaker ? 'new-speaker' : (mark.shift ?? ''),
      mark.summary,
      mark.source?.url ?? '',
      mark.source?.title ?? '',
      mark.retracted ? mark.retracted.reason : '',
    ]),
  );
  const header = ['lane', 'actorId', 'speakerId', 'statementId', 'statedOn', 'stance', 'score', 'shift', 'summary', 'sourceUrl', 'sourceTitle', 'retracted'];
  download(`${loaded.topic.id}-statements${state.knownAt ? `-as-of-${state.knownAt.slice(0, 10)}` : ''}.csv`, 'text/csv;charset=utf-8', toCsv(header, rows));
}

function currentSvg(): { svg: string; width: number; height: number } | null {
  const lanes = el.chart.querySelector<SVGSVGElement>('svg');
  if (!lanes || !loaded) return null;
  const axis = el.axis.querySelector<SVGSVGElement>('svg');
  const title = `${loaded.topic.title} — positions${state.knownAt ? `, as known at ${state.knownAt}` : ''}`;
  const svg = chartSvg(lanes, axis, title);
  const width = Number(lanes.getAttribute('width'));
  const height = Number(lanes.getAttribute('height')) + Number(axis?.getAttribute('height') ?? 0) + 28;
  return { svg, width, height };
}

byId('copy-link').addEventListener('click', () => void copyLink());
byId('export-landscape').addEventListener('click', exportLandscape);
byId('export-statements').addEventListener('click', exportStatements);
byId('export-svg').addEventListener('click', () => {
  const drawn = currentSvg();
  if (drawn && loaded) download(`${loaded.topic.id}-chart.svg`, 'image/svg+xml', drawn.svg);
});
byId('export-png').addEventListener('click', () => {
  const drawn = currentSvg();
  if (!drawn || !loaded) return;
  const name = `${loaded.topic.id}-chart.png`;
  svgToPng(drawn.svg, drawn.width, drawn.height).then(
    (png) => download(name, 'image/png', png),
    (error: unknown) => showError(error, () => undefined),
  );
});

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
  // Cleared or not a day: the field shows the cursor's day again.
  else if (state.day) el.day.value = state.day;
});

el.knownAt.addEventListener('change', () => {
  const knownAt = knownAtFromInput(el.knownAt.value);
  if (el.knownAt.value && !knownAt) {
    showNotice([`“${el.knownAt.value}” is not a real moment: the record is shown as it was.`]);
    return;
  }
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

el.showVoices.addEventListener('change', () => {
  state.showVoices = el.showVoices.checked;
  writeUrl();
  redraw();
});

let searchTimer: number | undefined;
el.search.addEventListener('input', () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    redraw();
    renderLandscape();
  }, 200);
});
for (const filter of [el.filterKind, el.filterOrg]) {
  filter.addEventListener('change', () => {
    redraw();
    renderLandscape();
  });
}
byId('narrow').addEventListener('submit', (event) => event.preventDefault());

/** The zoom fields from the state. */
function renderZoom(): void {
  el.zoomFrom.value = state.from ?? '';
  el.zoomTo.value = state.to ?? '';
  el.zoomReset.disabled = !state.from && !state.to;
}

function setZoom(from: string | null, to: string | null): void {
  if (from && to && from > to) {
    showNotice([`The zoom runs backwards (${from} to ${to}): pick a “from” day before the “to” day.`]);
    return;
  }
  state.from = from;
  state.to = to;
  renderZoom();
  writeUrl(true);
  drawChart();
}

el.zoomFrom.addEventListener('change', () => setZoom(isValidDay(el.zoomFrom.value) ? el.zoomFrom.value : null, state.to));
el.zoomTo.addEventListener('change', () => setZoom(state.from, isValidDay(el.zoomTo.value) ? el.zoomTo.value : null));
el.zoomReset.addEventListener('click', () => setZoom(null, null));

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
  const { state: next, problems } = readUrl();
  showNotice(problems);
  const reload = next.topicId !== state.topicId || next.knownAt !== state.knownAt;
  Object.assign(state, next);
  if (reload || !loaded) void loadTopic();
  else {
    el.showRetracted.checked = state.showRetracted;
    el.showVoices.checked = state.showVoices;
    renderZoom();
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
