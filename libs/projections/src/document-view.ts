import type { DomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

/**
 * A view as one pure function over its rows: for each event, `keyOf` names the row it
 * concerns and `evolve` returns the row's next value (null deletes it). Rows are plain JSON.
 * A new view of this kind is one small file; the runner catches it up from position 0,
 * rebuilds it and reports on it like any other.
 */
export interface DocumentView<Row> {
  name: string;
  version: number;
  handles: readonly DomainEvent['type'][];
  keyOf(event: StoredEvent): string | null;
  evolve(row: Row | null, event: StoredEvent): Row | null;
}

export const documentTable = (name: string, suffix: string): string => `view_${name.replace(/-/g, '_')}${suffix}`;

export function documentProjection<Row>(view: DocumentView<Row>): Projection & { view: DocumentView<Row> } {
  return {
    view,
    name: view.name,
    version: view.version,
    handles: view.handles,
    open(db: ViewsDatabase, suffix: string) {
      const table = documentTable(view.name, suffix);
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, row TEXT NOT NULL) WITHOUT ROWID`);
      const read = db.prepare(`SELECT row FROM ${table} WHERE key = ?`).pluck();
      const write = db.prepare(`INSERT INTO ${table} (key, row) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET row = excluded.row`);
      const remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
      return (event: StoredEvent) => {
        const key = view.keyOf(event);
        if (key === null) return;
        const stored = read.get(key) as string | undefined;
        const next = view.evolve(stored === undefined ? null : (JSON.parse(stored) as Row), event);
        if (next === null) remove.run(key);
        else write.run(key, JSON.stringify(next));
      };
    },
    drop(db: ViewsDatabase, suffix: string) {
      db.exec(`DROP TABLE IF EXISTS ${documentTable(view.name, suffix)}`);
    },
  };
}
