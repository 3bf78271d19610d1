import './intake.css';
import { h, byId } from './dom';
import { type Actor, ApiError, type Candidate, type Draft, IntakeApi, type Topic } from './intake-api';
import { type Highlight, segments } from './intake-text';

/*
 * The intake page: an article in, its candidate statements out, each reviewed (speaker, date,
 * topic, stance, summary) and accepted or rejected through the API. Text is only ever set as
 * text: nothing of the article is parsed as HTML here (the service takes HTML apart itself).
 */

const api = new IntakeApi();
let topics: Topic[] = [];
let actors: Actor[] = [];

const form = byId<HTMLFormElement>('article-form');
const textArea = byId<HTMLTextAreaElement>('article-text');
const isHtml = byId<HTMLInputElement>('is-html');
const status = byId('form-status');

async function start(): Promise<void> {
  const key = byId<HTMLInputElement>('api-key');
  key.value = api.key;
  key.addEventListener('change', () => (api.key = key.value));
  byId<HTMLInputElement>('published-on').value = new Date().toISOString().slice(0, 10);
  textArea.addEventListener('dragover', (event) => event.preventDefault());
  textArea.addEventListener('drop', (event) => void dropFile(event));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void takeArticle();
  });
  try {
    [topics, actors] = await Promise.all([api.topics(), api.actors()]);
    const select = byId<HTMLSelectElement>('topic');
    for (const topic of topics) select.append(h('option', { value: topic.id }, topic.title));
  } catch (error) {
    status.textContent = `Could not load topics and actors: ${messageOf(error)}`;
  }
}

async function dropFile(event: DragEvent): Promise<void> {
  const file = event.dataTransfer?.files[0];
  if (!file) return;
  event.preventDefault();
  textArea.value = await file.text();
  isHtml.checked = /\.html?$/i.test(file.name);
}

async function takeArticle(): Promise<void> {
  const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
  const body: Record<string, string> = { [isHtml.checked ? 'html' : 'text']: textArea.value, publishedOn: value('published-on') };
  for (const [field, id] of [['title', 'source-title'], ['url', 'source-url'], ['publisher', 'source-publisher'], ['topicId', 'topic']] as const) {
    if (value(id)) body[field] = value(id);
  }
  // A statement's source needs an address or a title: asked for now rather than at every accept.
  if (!body.title && !body.url && !isHtml.checked) {
    status.textContent = 'Give the article’s title or address: every statement recorded from it cites it.';
    byId<HTMLInputElement>('source-title').focus();
    return;
  }
  status.textContent = 'Reading the article…';
  try {
    const { draftId } = await api.take(body);
    const draft = await api.draft(draftId);
    status.textContent = `${draft.candidates.length} candidate statements found.`;
    showDraft(draft);
  } catch (error) {
    status.textContent = `Not read: ${messageOf(error)}`;
  }
}

function showDraft(draft: Draft): void {
  byId('draft').hidden = false;
  const highlights: Highlight[] = draft.candidates.flatMap((c) => [
    { start: c.quoteSpan[0], end: c.quoteSpan[1], kind: 'words' as const, candidateId: c.candidateId },
    ...(c.speaker.span ? [{ start: c.speaker.span[0], end: c.speaker.span[1], kind: 'speaker' as const, candidateId: c.candidateId }] : []),
  ]);
  const text = byId('draft-text');
  text.replaceChildren(
    ...segments(draft.text, highlights).map(({ text: words, highlight }) =>
      highlight ? h('mark', { class: highlight.kind }, h('a', { href: `#candidate-${highlight.candidateId}`, title: `Candidate ${highlight.candidateId}` }, words)) : words,
    ),
  );
  byId('candidates').replaceChildren(...draft.candidates.map((c) => candidateItem(draft, c)));
}

function candidateItem(draft: Draft, candidate: Candidate): HTMLLIElement {
  const id = (name: string) => `${candidate.candidateId}-${name}`;
  const words = candidate.quote ?? draft.text.slice(candidate.quoteSpan[0], candidate.quoteSpan[1]);
  const said = candidate.speaker.name ? `the article says: ${candidate.speaker.name}` : 'nobody named';
  const speaker = select(id('speaker'), actors.map((a) => [a.id, `${a.name} (${a.id})`]), candidate.speaker.actorId, `Choose (${said})`);
  const topic = select(id('topic'), topics.map((t) => [t.id, t.title]), candidate.topicId ?? draft.topicId, 'Choose a topic');
  const stance = h('select', { id: id('stance') });
  const fillStances = (chosen: string | null) => {
    const codebook = topics.find((t) => t.id === topic.value)?.stances ?? [];
    stance.replaceChildren(h('option', { value: '' }, 'Choose a stance'), ...codebook.map((s) => h('option', { value: s.code, selected: s.code === chosen }, `${s.label} (${s.code})`)));
  };
  fillStances(candidate.stance);
  topic.addEventListener('change', () => fillStances(null));
  const statedOn = h('input', { id: id('stated-on'), type: 'text', value: candidate.statedOn, required: true });
  const wording = h('input', { id: id('wording'), type: 'text', value: candidate.statedOnWording ?? '', maxlength: 200 });
  const summary = h('input', { id: id('summary'), type: 'text', value: words.slice(0, 2000), maxlength: 2000 });
  const reason = h('input', { id: id('reason'), type: 'text', maxlength: 2000 });
  const outcome = h('p', { role: 'status', 'aria-live': 'polite' });
  const item = h('li', { id: `candidate-${candidate.candidateId}`, class: `candidate ${candidate.state ?? 'open'}`, 'aria-labelledby': id('title') },
    h('h3', { id: id('title') }, `Candidate ${candidate.candidateId}${candidate.quote === null ? ' (reported speech)' : ''}`),
    h('p', { class: 'words' }, candidate.quote === null ? words : `“${words}”`),
    h('div', { class: 'grid' },
      labelled('Speaker', speaker), labelled('Stated on (EDTF)', statedOn), labelled('The article’s words for the date', wording),
      labelled('Topic', topic), labelled('Stance', stance), labelled('Summary', summary)),
    h('p', { class: 'hint' }, `Suggested stance: ${candidate.stance ?? 'none'} (confidence ${candidate.stanceConfidence.toFixed(2)})${candidate.cues.length ? `; cue words: ${candidate.cues.join(', ')}` : ''}`),
    outcome,
  );
  const decided = (text: string, state: 'accepted' | 'rejected') => {
    item.className = `candidate ${state}`;
    for (const control of item.querySelectorAll('input, select, button')) (control as HTMLInputElement).disabled = true;
    outcome.textContent = text;
  };
  const accept = h('button', { type: 'button', onclick: () => void run(outcome, async () => {
    const overrides: Record<string, string> = { actorId: speaker.value, topicId: topic.value, stance: stance.value, statedOn: statedOn.value.trim(), summary: summary.value.trim() };
    if (wording.value.trim()) overrides.statedOnWording = wording.value.trim();
    for (const [field, given] of Object.entries(overrides)) if (!given) delete overrides[field];
    const { statementId } = await api.accept(draft.draftId, candidate.candidateId, overrides);
    decided(`Recorded as statement ${statementId}.`, 'accepted');
  }) }, 'Accept and record');
  const reject = h('button', { type: 'button', onclick: () => void run(outcome, async () => {
    await api.reject(draft.draftId, candidate.candidateId, reason.value.trim());
    decided(`Rejected: ${reason.value.trim()}`, 'rejected');
  }) }, 'Reject');
  item.append(h('div', { class: 'actions' }, accept, labelled('Reason to reject', reason), reject));
  if (candidate.state === 'accepted') decided(`Recorded as statement ${candidate.statementId ?? ''}.`, 'accepted');
  if (candidate.state === 'rejected') decided(`Rejected: ${candidate.reason ?? ''}`, 'rejected');
  return item;
}

function select(id: string, options: [string, string][], chosen: string | null, prompt: string): HTMLSelectElement {
  return h('select', { id }, h('option', { value: '' }, prompt), ...options.map(([value, label]) => h('option', { value, selected: value === chosen }, label)));
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field', for: control.id }, text, control);
}

async function run(outcome: HTMLElement, work: () => Promise<void>): Promise<void> {
  outcome.classList.remove('error');
  try {
    await work();
  } catch (error) {
    outcome.classList.add('error');
    outcome.textContent = `Not done: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.status === 401 || error.status === 403 ? `${error.message} (give an API key with the recorder role above)` : error.message;
  return error instanceof Error ? error.message : String(error);
}

void start();
