import type { PanelRow, TopicPanel } from './topic-panel.query';

export const PANEL_COLUMNS = ['actorId', 'period', 'stance', 'score', 'certainty', 'statementId'] as const;

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Joins small pieces into chunks of about 64 KiB: one write per row would be slow, the whole answer too big. */
function* chunked(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The panel as CSV: a header row, then one line per row, CRLF line ends. */
export function* panelCsv(panel: TopicPanel): Generator<string> {
  function* lines() {
    yield `${PANEL_COLUMNS.join(',')}\r\n`;
    for (const row of panel.rows) yield `${PANEL_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
  }
  yield* chunked(lines());
}

/** The panel as one JSON document: its parameters, then `rows`, written row by row. */
export function* panelJson(panel: TopicPanel): Generator<string> {
  const { rows, ...head } = panel;
  function* pieces() {
    yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
    let first = true;
    for (const row of rows as Iterable<PanelRow>) {
      yield `${first ? '' : ','}${JSON.stringify(row)}`;
      first = false;
    }
    yield ']}';
  }
  yield* chunked(pieces());
}
