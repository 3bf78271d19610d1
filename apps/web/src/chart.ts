/** The lanes chart, drawn with Observable Plot, and its date cursor. */
import * as Plot from '@observablehq/plot';
import type { Stance } from './api';
import { addDays, type Band, type Lane, type Mark, cursorInstant, dayNearest, describeShift, stanceText, statedText } from './model';

/** ColorBrewer BrBG at five steps, with a grey middle that stays visible on white: brown against, teal for. */
export const PALETTE: Record<string, string> = { '-2': '#8c510a', '-1': '#d8b365', '0': '#bdbdbd', '1': '#5ab4ac', '2': '#01665e' };

export function colorOf(score: number): string {
  return PALETTE[String(Math.max(-2, Math.min(2, Math.round(score))))];
}

/** Text drawn on a band of that score: white on the dark ends of the palette. */
export function inkOn(score: number): string {
  return Math.abs(score) >= 2 ? '#ffffff' : '#1b1b1b';
}

const SYMBOLS: Record<string, string> = { first: 'circle', 'no-flip': 'circle', 'half-flip': 'diamond', 'full-flop': 'star' };

export interface ChartInput {
  lanes: Lane[];
  domain: [Date, Date];
  cursorDay: string;
  showRetracted: boolean;
  topicTitle: string;
  names: Map<string, string>;
  /** A statement mark was chosen (click, Enter or Space). */
  onSelect: (mark: Mark, element: Element) => void;
  /** The cursor moved; `final` once a drag or key press is over. */
  onCursor: (day: string, final: boolean) => void;
}

export interface ChartHandle {
  setCursor(day: string): void;
  destroy(): void;
}

const LANE_HEIGHT = 54;
const MARGIN = { top: 34, right: 20, bottom: 30, left: 210 };

export function markLabel(mark: Mark, names: Map<string, string>): string {
  const who = names.get(mark.actorId) ?? mark.actorId;
  const parts = [`${mark.laneKey.startsWith('voice:') ? `voice of ${who}` : who}, ${statedText(mark)}: ${stanceText(mark.stance)}`];
  if (mark.range) parts.push(`said some day ${mark.range}`);
  if (mark.stance) parts.push(mark.stance.label);
  if (mark.speaker) parts.push(`said by ${names.get(mark.speaker) ?? mark.speaker}`);
  if (mark.shift && mark.shift !== 'first') parts.push(describeShift(mark.shift, mark.direction));
  if (mark.corrected) parts.push('corrected');
  if (mark.retracted) parts.push(`retracted: ${mark.retracted.reason}`);
  return parts.join('; ');
}

/** What the span of an imprecise statement says when pointed at. */
export function spanTitle(mark: Mark, names: Map<string, string>): string {
  const who = names.get(mark.speaker ?? mark.actorId) ?? mark.actorId;
  return `${who}: ${stanceText(mark.stance)}, said some day ${mark.range} (${statedText(mark)}); certain only from the end of that span`;
}

function bandTitle(band: Band, names: Map<string, string>): string {
  const via = band.speaker ? ` via ${names.get(band.speaker) ?? band.speaker}` : '';
  return `${stanceText(band.stance)}: ${band.stance.label}${via}${band.divergent ? ' — spokespeople diverge' : ''}`;
}

function bandText(band: Band, names: Map<string, string>): string {
  const speaker = band.speaker ? names.get(band.speaker) ?? band.speaker : null;
  const via = speaker && !band.laneKey.endsWith(`:${band.speaker}`) ? ` · via ${speaker}` : '';
  return `${band.stance.code}${via}${band.divergent ? ' · divergent' : ''}`;
}

function shiftText(mark: Mark): string {
  const arrow = mark.direction === 'toward' ? '↑' : '↓';
  return `${mark.shift} ${arrow}`;
}

export function renderChart(container: HTMLElement, input: ChartInput): ChartHandle {
  const { lanes, domain, names } = input;
  const width = Math.max(560, Math.floor(container.clientWidth || 900));
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, lanes.length) * LANE_HEIGHT;
  const span = domain[1].getTime() - domain[0].getTime();
  const labels = new Map(lanes.map((lane) => [lane.key, lane.label]));
  const bands = lanes.flatMap((lane) => lane.bands);
  const marks = lanes.flatMap((lane) => lane.marks);
  const retracted = input.showRetracted ? lanes.flatMap((lane) => lane.retracted) : [];
  const shifts = marks.filter((mark) => mark.shift === 'half-flip' || mark.shift === 'full-flop');
  // Statements dated by a range of days: a faded, bracketed span over those days, behind the mark at its end.
  const spans = [...marks, ...retracted].filter((mark) => mark.span !== null);
  // A band says its stance in words where the words fit (about 7 px a character at 12 px), else only its colour does.
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const fits = (band: Band, text: string) => ((band.to.getTime() - band.from.getTime()) / span) * plotWidth >= text.length * 7 + 22;
  const labelled = bands
    .map((band) => ({ band, text: [bandText(band, names), band.stance.code].find((text) => fits(band, text)) }))
    .filter((label): label is { band: Band; text: string } => label.text !== undefined);
  const fill = (stance: Stance | null) => (stance ? colorOf(stance.score) : '#ffffff');

  const plot = Plot.plot({
    width,
    height,
    marginTop: MARGIN.top,
    marginRight: MARGIN.right,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    style: { fontSize: '12px', background: 'transparent', overflow: 'visible' },
    ariaLabel: `Stated positions on ${input.topicTitle} over time, one lane per actor`,
    ariaDescription:
      'Each statement is a mark; the band after it is the position held until the next statement. A statement the sources date only to a range of days (last week) has a bracketed, faded span over those days, its mark at the end of the span. The statement list below has the same content.',
    x: { type: 'utc', domain, label: null, grid: true },
    y: { domain: lanes.map((lane) => lane.key), label: null, padding: 0.28 },
    marks: [
      Plot.axisY({ tickFormat: (key: string) => labels.get(key) ?? key, lineWidth: 16, tickSize: 0, tickPadding: 8, label: null }),
      Plot.barX(lanes, { x1: () => domain[0], x2: () => domain[1], y: 'key', fill: (lane: Lane) => (lane.kind === 'voice' ? '#eef1f6' : '#f5f5f5'), ariaHidden: 'true' }),
      Plot.barX(bands, { x1: 'from', x2: 'to', y: 'laneKey', fill: (band: Band) => fill(band.stance), title: (band: Band) => bandTitle(band, names), ariaHidden: 'true', className: 'band' }),
      Plot.barX(
        bands.filter((band) => band.divergent),
        { x1: 'from', x2: 'to', y: 'laneKey', fill: 'none', stroke: '#c62828', strokeWidth: 3, strokeDasharray: '6 3', inset: -3, ariaHidden: 'true', className: 'band-divergent' },
      ),
      Plot.text(labelled, {
        x: (label: { band: Band }) => label.band.from,
        y: (label: { band: Band }) => label.band.laneKey,
        text: 'text',
        textAnchor: 'start',
        dx: 13,
        fill: (label: { band: Band }) => inkOn(label.band.stance.score),
        ariaHidden: 'true',
        className: 'band-label',
      }),
      Plot.dot(retracted, {
        x: 'x',
        y: 'laneKey',
        r: 7,
        fill: '#ffffff',
        stroke: '#757575',
        strokeDasharray: '2 2',
        strokeWidth: 1.5,
        ariaLabel: (mark: Mark) => markLabel(mark, names),
        title: (mark: Mark) => markLabel(mark, names),
        className: 'mark mark-retracted',
      }),
      Plot.dot(retracted, { x: 'x', y: 'laneKey', r: 5, symbol: 'times', stroke: '#757575', strokeWidth: 1.5, ariaHidden: 'true', pointerEvents: 'none' }),
      Plot.text(retracted, { x: 'x', y: 'laneKey', text: (mark: Mark) => mark.stance?.code ?? '', dy: -16, fill: '#616161', ariaHidden: 'true', className: 'label-retracted' }),
      Plot.barX(spans, {
        x1: (mark: Mark) => mark.span!.from,
        x2: (mark: Mark) => mark.span!.to,
        y: 'laneKey',
        insetTop: 7,
        insetBottom: 7,
        fill: (mark: Mark) => fill(mark.stance),
        fillOpacity: 0.45,
        stroke: '#1b1b1b',
        strokeWidth: 1.5,
        strokeDasharray: '5 3',
        title: (mark: Mark) => spanTitle(mark, names),
        ariaHidden: 'true',
        className: 'statement-span',
      }),
      // Bracket ends: the first and the last day it may have been said on.
      Plot.tickX(spans, { x: (mark: Mark) => mark.span!.from, y: 'laneKey', stroke: '#1b1b1b', strokeWidth: 2, inset: 4, ariaHidden: 'true', pointerEvents: 'none' }),
      Plot.tickX(spans, { x: (mark: Mark) => mark.span!.to, y: 'laneKey', stroke: '#1b1b1b', strokeWidth: 2, inset: 4, ariaHidden: 'true', pointerEvents: 'none' }),
      // A white halo sets each mark off its band.
      Plot.dot(marks, { x: 'x', y: 'laneKey', r: 10, symbol: (mark: Mark) => SYMBOLS[mark.shift ?? 'first'], fill: '#ffffff', ariaHidden: 'true', pointerEvents: 'none' }),
      Plot.dot(marks, {
        x: 'x',
        y: 'laneKey',
        r: 7,
        symbol: (mark: Mark) => SYMBOLS[mark.shift ?? 'first'],
        fill: (mark: Mark) => fill(mark.stance),
        stroke: '#1b1b1b',
        strokeWidth: 2,
        ariaLabel: (mark: Mark) => markLabel(mark, names),
        title: (mark: Mark) => markLabel(mark, names),
        className: 'mark mark-statement',
      }),
      Plot.text(
        marks.filter((mark) => mark.corrected),
        { x: 'x', y: 'laneKey', text: () => '✎', dx: 10, dy: -10, fontSize: 12, fill: '#1b1b1b', ariaHidden: 'true', pointerEvents: 'none' },
      ),
      Plot.text(shifts, { x: 'x', y: 'laneKey', text: shiftText, dy: -18, fontWeight: 'bold', fill: '#b71c1c', ariaHidden: 'true', className: 'shift-label' }),
    ],
  }) as SVGSVGElement & { scale(name: 'x'): { apply(value: Date): number; invert(value: number): Date } };

  const wrap = document.createElement('div');
  wrap.className = 'chart-wrap';
  wrap.append(plot);
  container.replaceChildren(wrap);

  // Every statement mark is a button: focusable, labelled, chosen by click, Enter or Space.
  const bind = (selector: string, data: Mark[]) => {
    for (const element of plot.querySelectorAll(`${selector} > *`)) {
      const mark = data[(element as unknown as { __data__: number }).__data__];
      if (!mark) continue;
      element.setAttribute('tabindex', '0');
      element.setAttribute('role', 'button');
      element.setAttribute('data-statement-id', mark.statementId);
      element.setAttribute('data-lane', mark.laneKey);
      element.addEventListener('click', () => input.onSelect(mark, element));
      element.addEventListener('keydown', (event) => {
        const key = (event as KeyboardEvent).key;
        if (key === 'Enter' || key === ' ') {
          event.preventDefault();
          input.onSelect(mark, element);
        }
      });
    }
  };
  bind('g.mark-statement', marks);
  bind('g.mark-retracted', retracted);

  // The date cursor: an ARIA slider over the plot area, dragged with the pointer or moved with the arrow keys.
  const x = plot.scale('x');
  const cursor = document.createElement('div');
  cursor.className = 'cursor';
  cursor.tabIndex = 0;
  cursor.setAttribute('role', 'slider');
  cursor.setAttribute('aria-label', 'Date cursor: the landscape shows positions at the end of this day');
  const handle = document.createElement('span');
  handle.className = 'cursor-label';
  cursor.append(handle);
  wrap.append(cursor);
  let day = input.cursorDay;
  const firstDay = dayNearest(domain[0].getTime());
  const lastDay = dayNearest(domain[1].getTime());

  const place = () => {
    const ratio = plot.getBoundingClientRect().width / width || 1;
    const px = Math.max(MARGIN.left, Math.min(width - MARGIN.right, x.apply(new Date(cursorInstant(day)))));
    cursor.style.left = `${px * ratio}px`;
    cursor.style.top = `${(MARGIN.top - 22) * ratio}px`;
    cursor.style.height = `${(height - MARGIN.bottom - MARGIN.top + 22) * ratio}px`;
    handle.textContent = day;
    cursor.setAttribute('aria-valuetext', day);
    cursor.setAttribute('aria-valuenow', String(Date.parse(`${day}T00:00:00Z`) / 86_400_000));
    cursor.setAttribute('aria-valuemin', String(Date.parse(`${firstDay}T00:00:00Z`) / 86_400_000));
    cursor.setAttribute('aria-valuemax', String(Date.parse(`${lastDay}T00:00:00Z`) / 86_400_000));
  };
  place();

  const dayAt = (clientX: number): string => {
    const rect = plot.getBoundingClientRect();
    const ratio = rect.width / width || 1;
    const px = Math.max(MARGIN.left, Math.min(width - MARGIN.right, (clientX - rect.left) / ratio));
    return dayNearest(x.invert(px).getTime());
  };

  let dragging = false;
  const move = (next: string, final: boolean) => {
    if (next !== day) {
      day = next;
      place();
      input.onCursor(day, final);
    } else if (final) input.onCursor(day, true);
  };
  const onDown = (event: PointerEvent) => {
    if (event.button !== 0 || (event.target as Element).closest('[role="button"]')) return;
    const rect = plot.getBoundingClientRect();
    if (event.clientX - rect.left < MARGIN.left * (rect.width / width)) return;
    dragging = true;
    wrap.setPointerCapture(event.pointerId);
    wrap.classList.add('dragging');
    event.preventDefault();
    move(dayAt(event.clientX), false);
  };
  const onMove = (event: PointerEvent) => {
    if (dragging) move(dayAt(event.clientX), false);
  };
  const onUp = (event: PointerEvent) => {
    if (!dragging) return;
    dragging = false;
    wrap.classList.remove('dragging');
    if (wrap.hasPointerCapture(event.pointerId)) wrap.releasePointerCapture(event.pointerId);
    move(dayAt(event.clientX), true);
  };
  wrap.addEventListener('pointerdown', onDown);
  wrap.addEventListener('pointermove', onMove);
  wrap.addEventListener('pointerup', onUp);
  wrap.addEventListener('pointercancel', onUp);
  cursor.addEventListener('keydown', (event) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -7, PageUp: 7 };
    let next: string | null = null;
    if (event.key in steps) next = addDays(day, steps[event.key]);
    else if (event.key === 'Home') next = firstDay;
    else if (event.key === 'End') next = lastDay;
    if (next === null) return;
    event.preventDefault();
    move(next, true);
  });

  const observer = new ResizeObserver(() => place());
  observer.observe(wrap);

  return {
    setCursor(next: string) {
      day = next;
      place();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
