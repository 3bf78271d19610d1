/** The lanes chart, drawn with Observable Plot, and its date cursor. */
import * as Plot from '@observablehq/plot';
import type { Stance } from './api';
import { addDays, type Band, type Lane, type Mark, cursorInstant, dayNearest, dayOf, describeShift, stanceText, statedText, thinned } from './model';

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

/** Hatching for the stances against the proposition, so −2 and +2 differ in greyscale too (denser: further against). */
const HATCH: Record<string, string> = { '-2': 'hatch-strong', '-1': 'hatch-light' };

export interface ChartInput {
  lanes: Lane[];
  domain: [Date, Date];
  /** Where the date axis and the cursor's date are drawn: an element that stays in view while the lanes scroll. */
  axis: HTMLElement;
  cursorDay: string;
  /** Home and End move the cursor to these (the first and last days of the record). */
  firstStatementDay: string | null;
  lastStatementDay: string | null;
  /** The statement whose mark takes the chart's one Tab stop, when it is drawn. */
  selectedId: string | null;
  showRetracted: boolean;
  topicTitle: string;
  names: Map<string, string>;
  /** A statement mark was chosen (click, Enter or Space). */
  onSelect: (mark: Mark, element: Element) => void;
  /** The cursor moved; `final` once a drag or key press is over; `fromKey` for a key press. */
  onCursor: (day: string, final: boolean, fromKey: boolean) => void;
}

export interface ChartHandle {
  setCursor(day: string): void;
  destroy(): void;
}

/** Lanes get lower as they get more, down to a height where a mark and its label still fit. */
const laneHeight = (lanes: number): number => (lanes <= 12 ? 54 : lanes <= 40 ? 44 : 38);
/** Narrow screens give the lane names less room: the chart then keeps a readable font at its real size. */
const marginsFor = (width: number) => ({ top: 24, right: width < 700 ? 10 : 20, bottom: 8, left: width < 700 ? 104 : 210 });

export function markLabel(mark: Mark, names: Map<string, string>): string {
  const who = names.get(mark.actorId) ?? mark.actorId;
  const parts = [`${mark.laneKey.startsWith('voice:') ? `voice of ${who}` : who}, ${statedText(mark)}: ${stanceText(mark.stance)}`];
  if (mark.newSpeaker) parts.push('new speaker for the organization (not a change of mind)');
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

function scoreText(score: number): string {
  return `${score > 0 ? '+' : score < 0 ? '−' : '±'}${Math.abs(score)}`;
}

function bandText(band: Band, names: Map<string, string>): string {
  const speaker = band.speaker ? (names.get(band.speaker) ?? band.speaker) : null;
  const via = speaker && !band.laneKey.endsWith(`:${band.speaker}`) ? ` · via ${speaker}` : '';
  return `${scoreText(band.stance.score)} ${band.stance.code}${via}${band.divergent ? ' · divergent' : ''}`;
}

function shiftText(mark: Mark): string {
  const arrow = mark.direction === 'toward' ? '↑' : '↓';
  return `${mark.shift} ${arrow}`;
}

type PlotSvg = SVGSVGElement & { scale(name: 'x'): { apply(value: Date): number; invert(value: number): Date } };

/** Hatch patterns the bands against the proposition are overlaid with (Plot draws no patterns itself). */
function addPatterns(svg: SVGSVGElement): void {
  const ns = 'http://www.w3.org/2000/svg';
  const defs = document.createElementNS(ns, 'defs');
  for (const [id, size] of [['hatch-strong', 4], ['hatch-light', 8]] as const) {
    const pattern = document.createElementNS(ns, 'pattern');
    pattern.setAttribute('id', id);
    pattern.setAttribute('width', String(size));
    pattern.setAttribute('height', String(size));
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('y1', '0');
    line.setAttribute('x2', '0');
    line.setAttribute('y2', String(size));
    line.setAttribute('stroke', id === 'hatch-strong' ? '#ffffff' : '#5a3c06');
    line.setAttribute('stroke-width', '1.5');
    line.setAttribute('stroke-opacity', '0.7');
    pattern.append(line);
    defs.append(pattern);
  }
  svg.prepend(defs);
}

/** The lanes: bands, spans, marks and labels, clipped to the domain (a zoom draws only its days). */
function lanesPlot(input: ChartInput, drawn: { marks: Mark[]; retracted: Mark[] }, width: number, height: number, margin: ReturnType<typeof marginsFor>): PlotSvg {
  const { lanes, domain, names } = input;
  const { marks, retracted } = drawn;
  const span = domain[1].getTime() - domain[0].getTime();
  const labels = new Map(lanes.map((lane) => [lane.key, lane.label]));
  const bands = lanes.flatMap((lane) => lane.bands);
  const plotWidth = width - margin.left - margin.right;
  const toPx = (date: Date) => ((date.getTime() - domain[0].getTime()) / span) * plotWidth;
  // Flip labels and "new speaker" labels, thinned so they never pile up; on a phone's narrow lanes the mark's shape says it alone.
  const flips = marks.filter((mark) => mark.shift === 'half-flip' || mark.shift === 'full-flop' || mark.newSpeaker);
  const shifts = plotWidth < 420 ? [] : thinned(flips, toPx, 96);
  // Statements dated by a range of days: a faded, bracketed span over those days, behind the mark at its end.
  const spans = [...marks, ...retracted].filter((mark) => mark.span !== null);
  // A band says its score and stance where they fit (about 7 px a character at 12 px), else its score, else only its colour and hatching.
  const visible = (band: Band) => (Math.min(band.to.getTime(), domain[1].getTime()) - Math.max(band.from.getTime(), domain[0].getTime())) / span;
  const fits = (band: Band, text: string) => visible(band) * plotWidth >= text.length * 7 + 22;
  const labelled = bands
    .map((band) => ({ band, text: [bandText(band, names), `${scoreText(band.stance.score)} ${band.stance.code}`, scoreText(band.stance.score)].find((text) => fits(band, text)) }))
    .filter((label): label is { band: Band; text: string } => label.text !== undefined && visible(label.band) > 0);
  const fill = (stance: Stance | null) => (stance ? colorOf(stance.score) : '#ffffff');
  const start = (band: Band) => (band.from < domain[0] ? domain[0] : band.from);
  const clip = true;

  return Plot.plot({
    width,
    height,
    marginTop: margin.top,
    marginRight: margin.right,
    marginBottom: margin.bottom,
    marginLeft: margin.left,
    style: { fontSize: '12px', background: 'transparent', overflow: 'visible' },
    ariaLabel: `Stated positions on ${input.topicTitle} over time, one lane per actor`,
    ariaDescription:
      'Each statement is a mark; the band after it is the position held until the next statement, hatched when against the proposition. A statement the sources date only to a range of days (last week) has a bracketed, faded span over those days, its mark at the end of the span. Tab into the chart once, then move between statements with the arrow keys. The statement list has the same content.',
    x: { type: 'utc', domain, label: null, grid: true, axis: null },
    y: { domain: lanes.map((lane) => lane.key), label: null, padding: 0.28 },
    marks: [
      // Long names wrap onto more lines, narrower on a phone.
      Plot.axisY({ tickFormat: (key: string) => labels.get(key) ?? key, lineWidth: margin.left < 200 ? 9 : 16, tickSize: 0, tickPadding: 6, label: null }),
      Plot.gridX({ stroke: '#cfcfcf' }),
      Plot.barX(lanes, { x1: () => domain[0], x2: () => domain[1], y: 'key', fill: (lane: Lane) => (lane.kind === 'voice' ? '#eef1f6' : '#f5f5f5'), ariaHidden: 'true' }),
      Plot.barX(bands, { x1: 'from', x2: 'to', y: 'laneKey', fill: (band: Band) => fill(band.stance), title: (band: Band) => bandTitle(band, names), ariaHidden: 'true', className: 'band', clip }),
      Plot.barX(
        bands.filter((band) => HATCH[String(band.stance.score)]),
        { x1: 'from', x2: 'to', y: 'laneKey', fill: (band: Band) => `url(#${HATCH[String(band.stance.score)]})`, ariaHidden: 'true', pointerEvents: 'none', className: 'band-hatch', clip },
      ),
      Plot.barX(
        bands.filter((band) => band.divergent),
        { x1: 'from', x2: 'to', y: 'laneKey', fill: 'none', stroke: '#c62828', strokeWidth: 3, strokeDasharray: '6 3', inset: -3, ariaHidden: 'true', className: 'band-divergent', clip },
      ),
      Plot.text(labelled, {
        x: (label: { band: Band }) => start(label.band),
        y: (label: { band: Band }) => label.band.laneKey,
        text: 'text',
        textAnchor: 'start',
        dx: 13,
        fill: (label: { band: Band }) => inkOn(label.band.stance.score),
        stroke: (label: { band: Band }) => (inkOn(label.band.stance.score) === '#ffffff' ? '#1b1b1b' : '#ffffff'),
        strokeWidth: 3,
        paintOrder: 'stroke',
        ariaHidden: 'true',
        className: 'band-label',
        clip,
      }),
      Plot.dot(retracted, {
        x: 'x',
        y: 'laneKey',
        r: 7,
        fill: '#ffffff',
        stroke: '#424242',
        strokeDasharray: '2 2',
        strokeWidth: 1.5,
        ariaLabel: (mark: Mark) => markLabel(mark, names),
        title: (mark: Mark) => markLabel(mark, names),
        className: 'mark mark-retracted',
        clip,
      }),
      Plot.dot(retracted, { x: 'x', y: 'laneKey', r: 5, symbol: 'times', stroke: '#424242', strokeWidth: 1.5, ariaHidden: 'true', pointerEvents: 'none', clip }),
      Plot.text(retracted, { x: 'x', y: 'laneKey', text: (mark: Mark) => mark.stance?.code ?? '', dy: -16, fill: '#1b1b1b', stroke: '#ffffff', strokeWidth: 3, paintOrder: 'stroke', ariaHidden: 'true', className: 'label-retracted', clip }),
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
        clip,
      }),
      // Bracket ends: the first and the last day it may have been said on.
      Plot.tickX(spans, { x: (mark: Mark) => mark.span!.from, y: 'laneKey', stroke: '#1b1b1b', strokeWidth: 2, inset: 4, ariaHidden: 'true', pointerEvents: 'none', clip }),
      Plot.tickX(spans, { x: (mark: Mark) => mark.span!.to, y: 'laneKey', stroke: '#1b1b1b', strokeWidth: 2, inset: 4, ariaHidden: 'true', pointerEvents: 'none', clip }),
      // A white halo sets each mark off its band.
      Plot.dot(marks, { x: 'x', y: 'laneKey', r: 10, symbol: (mark: Mark) => SYMBOLS[mark.shift ?? 'first'], fill: '#ffffff', ariaHidden: 'true', pointerEvents: 'none', clip }),
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
        clip,
      }),
      Plot.text(
        marks.filter((mark) => mark.corrected),
        { x: 'x', y: 'laneKey', text: () => '✎', dx: 10, dy: -10, fontSize: 12, fill: '#1b1b1b', ariaHidden: 'true', pointerEvents: 'none', clip },
      ),
      Plot.text(shifts, {
        x: 'x',
        y: 'laneKey',
        text: (mark: Mark) => (mark.newSpeaker ? 'new speaker' : shiftText(mark)),
        dy: -17,
        fontWeight: 'bold',
        fill: (mark: Mark) => (mark.newSpeaker ? '#37474f' : '#b71c1c'),
        stroke: '#ffffff',
        strokeWidth: 3,
        paintOrder: 'stroke',
        ariaHidden: 'true',
        className: 'shift-label',
      }),
    ],
  }) as PlotSvg;
}

/** The date axis, drawn apart from the lanes so it can stay at the top of the window while they scroll. */
function axisPlot(domain: [Date, Date], width: number, margin: ReturnType<typeof marginsFor>): SVGSVGElement {
  return Plot.plot({
    width,
    height: 30,
    marginTop: 26,
    marginBottom: 0,
    marginLeft: margin.left,
    marginRight: margin.right,
    style: { fontSize: '12px', background: 'transparent', overflow: 'visible' },
    x: { type: 'utc', domain, label: null, ticks: Math.max(2, Math.floor((width - margin.left - margin.right) / 90)) },
    marks: [Plot.axisX({ anchor: 'top', label: null })],
  }) as SVGSVGElement;
}

/**
 * The marks are one Tab stop (a roving tabindex): the arrow keys move between statements, left
 * and right along a lane, up and down to the nearest statement on the next lane; Enter or Space
 * opens one.
 */
function bindMarks(plot: SVGSVGElement, input: ChartInput, marks: Mark[], retracted: Mark[]): void {
  const elements: { element: Element; mark: Mark }[] = [];
  const collect = (selector: string, data: Mark[]) => {
    for (const element of plot.querySelectorAll(`${selector} > *`)) {
      const mark = data[(element as unknown as { __data__: number }).__data__];
      if (mark) elements.push({ element, mark });
    }
  };
  collect('g.mark-statement', marks);
  collect('g.mark-retracted', retracted);
  if (elements.length === 0) return;
  const laneOrder = new Map(input.lanes.map((lane, i) => [lane.key, i]));
  elements.sort((a, b) => laneOrder.get(a.mark.laneKey)! - laneOrder.get(b.mark.laneKey)! || a.mark.x.getTime() - b.mark.x.getTime());
  const lanes = [...new Set(elements.map((e) => e.mark.laneKey))].map((key) => elements.filter((e) => e.mark.laneKey === key));
  const first = elements.find((e) => e.mark.statementId === input.selectedId) ?? elements[0];
  const moveTo = (from: Element, to: Element | undefined) => {
    if (!to) return;
    from.setAttribute('tabindex', '-1');
    to.setAttribute('tabindex', '0');
    (to as SVGElement).focus();
  };
  for (const { element, mark } of elements) {
    element.setAttribute('tabindex', element === first.element ? '0' : '-1');
    element.setAttribute('role', 'button');
    element.setAttribute('data-statement-id', mark.statementId);
    element.setAttribute('data-lane', mark.laneKey);
    element.addEventListener('click', () => input.onSelect(mark, element));
    element.addEventListener('keydown', (event) => {
      const key = (event as KeyboardEvent).key;
      const laneIndex = lanes.findIndex((lane) => lane.some((e) => e.element === element));
      const lane = lanes[laneIndex];
      const at = lane.findIndex((e) => e.element === element);
      const nearestOn = (other: typeof lane | undefined) =>
        other?.reduce((best, e) => (Math.abs(e.mark.x.getTime() - mark.x.getTime()) < Math.abs(best.mark.x.getTime() - mark.x.getTime()) ? e : best)).element;
      const targets: Record<string, () => Element | undefined> = {
        ArrowRight: () => lane[at + 1]?.element,
        ArrowLeft: () => lane[at - 1]?.element,
        ArrowDown: () => nearestOn(lanes[laneIndex + 1]),
        ArrowUp: () => nearestOn(lanes[laneIndex - 1]),
        Home: () => lane[0].element,
        End: () => lane[lane.length - 1].element,
      };
      if (key === 'Enter' || key === ' ') {
        event.preventDefault();
        input.onSelect(mark, element);
      } else if (key in targets) {
        event.preventDefault();
        moveTo(element, targets[key]());
      }
    });
  }
}

export function renderChart(container: HTMLElement, input: ChartInput): ChartHandle {
  const { lanes, domain } = input;
  const width = Math.max(300, Math.floor(container.clientWidth || 900));
  const margin = marginsFor(width);
  const height = margin.top + margin.bottom + Math.max(1, lanes.length) * laneHeight(lanes.length);
  // Only the marks within the days drawn: a zoom leaves the others out (and out of the keyboard's reach).
  const inDomain = (mark: Mark) => mark.x >= domain[0] && mark.x <= domain[1];
  const marks = lanes.flatMap((lane) => lane.marks).filter(inDomain);
  const retracted = input.showRetracted ? lanes.flatMap((lane) => lane.retracted).filter(inDomain) : [];
  const plot = lanesPlot(input, { marks, retracted }, width, height, margin);
  addPatterns(plot);

  const wrap = document.createElement('div');
  wrap.className = 'chart-wrap';
  wrap.append(plot);
  container.replaceChildren(wrap);
  bindMarks(plot, input, marks, retracted);

  const axisWrap = document.createElement('div');
  axisWrap.className = 'axis-wrap';
  axisWrap.append(axisPlot(domain, width, margin));
  input.axis.replaceChildren(axisWrap);
  return attachCursor(plot, wrap, axisWrap, input, { width, height, margin });
}

/** The first and last days whose end lies within a drawn span: the cursor never leaves them. */
export function cursorDays(domain: [Date, Date]): [string, string] {
  const first = dayOf(domain[0].getTime());
  const last = dayOf(domain[1].getTime() - 86_400_000);
  return [first, last < first ? first : last];
}

/** The date cursor: an ARIA slider over the plot area, dragged with the pointer or moved with the keys, kept within the days drawn. */
function attachCursor(plot: PlotSvg, wrap: HTMLElement, axisWrap: HTMLElement, input: ChartInput, size: { width: number; height: number; margin: ReturnType<typeof marginsFor> }): ChartHandle {
  const { width, height, margin } = size;
  const { domain } = input;
  const x = plot.scale('x');
  const cursor = document.createElement('div');
  cursor.className = 'cursor';
  cursor.tabIndex = 0;
  cursor.setAttribute('role', 'slider');
  cursor.setAttribute('aria-label', 'Date cursor: the landscape shows positions at the end of this day');
  const handle = document.createElement('span');
  handle.className = 'cursor-label';
  axisWrap.append(handle);
  wrap.append(cursor);
  const [firstDay, lastDay] = cursorDays(domain);
  const clamp = (d: string) => (d < firstDay ? firstDay : d > lastDay ? lastDay : d);
  let day = clamp(input.cursorDay);

  const place = () => {
    const ratio = plot.getBoundingClientRect().width / width || 1;
    const px = Math.max(margin.left, Math.min(width - margin.right, x.apply(new Date(cursorInstant(day)))));
    cursor.style.left = `${px * ratio}px`;
    cursor.style.top = `${margin.top * ratio}px`;
    cursor.style.height = `${(height - margin.bottom - margin.top) * ratio}px`;
    handle.style.left = `${px * ratio}px`;
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
    const px = Math.max(margin.left, Math.min(width - margin.right, (clientX - rect.left) / ratio));
    return clamp(dayNearest(x.invert(px).getTime()));
  };

  let dragging = false;
  const move = (next: string, final: boolean, fromKey = false) => {
    next = clamp(next);
    if (next !== day) {
      day = next;
      place();
      input.onCursor(day, final, fromKey);
    } else if (final) input.onCursor(day, true, fromKey);
  };
  const onDown = (event: PointerEvent) => {
    if (event.button !== 0 || (event.target as Element).closest('[role="button"]')) return;
    const rect = plot.getBoundingClientRect();
    if (event.clientX - rect.left < margin.left * (rect.width / width)) return;
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
    else if (event.key === 'Home') next = input.firstStatementDay ?? firstDay;
    else if (event.key === 'End') next = input.lastStatementDay ?? lastDay;
    if (next === null) return;
    event.preventDefault();
    move(next, true, true);
  });

  const observer = new ResizeObserver(() => place());
  observer.observe(wrap);

  return {
    setCursor(next: string) {
      day = clamp(next);
      place();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
