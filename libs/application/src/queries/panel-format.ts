import { chunked, jsonArray } from './json-stream';
import type { TopicPanel } from './topic-panel.query';

export const PANEL_COLUMNS = ['actorId', 'period', 'stance', 'score', 'certainty', 'statementId'] as const;

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The panel as CSV: a header row, then one line per row, CRLF line ends. */
export async function* panelCsv(panel: TopicPanel): AsyncGenerator<string> {
  async function* lines() {
    yield `${PANEL_COLUMNS.join(',')}\r\n`;
    for await (const rows of panel.rows) yield rows.map((row) => `${PANEL_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`).join('');
  }
  yield* chunked(lines());
}

/** The panel as one JSON document: its parameters, then `rows`, written a batch of rows at a time. */
export async function* panelJson(panel: TopicPanel): AsyncGenerator<string> {
  const { rows, ...head } = panel;
  yield `${JSON.stringify(head).slice(0, -1)},"rows":`;
  yield* jsonArray(rows);
  yield '}';
}
