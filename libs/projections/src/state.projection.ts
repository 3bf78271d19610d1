import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

/**
 * A view that keeps, per id, the state the domain's own `evolve` folds from one stream kind:
 * the read side and the deciders can never disagree about what an actor or topic is.
 */
export function stateProjection<S, E>(options: {
  name: string;
  version: number;
  table: string;
  handles: readonly string[];
  idOf: (streamId: string) => string | null;
  initialState: () => S;
  evolve: (state: S, event: E) => S;
}): Projection {
  const { name, version, table, handles, idOf, initialState, evolve } = options;
  return {
    name,
    version,
    handles,
    open(db: ViewsDatabase) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, state TEXT NOT NULL)`);
      const read = db.prepare(`SELECT state FROM ${table} WHERE id = ?`).pluck();
      const write = db.prepare(`INSERT INTO ${table} (id, state) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state`);
      return (event: StoredEvent) => {
        const id = idOf(event.streamId);
        if (id === null) return;
        const stored = read.get(id) as string | undefined;
        const state = stored === undefined ? initialState() : (JSON.parse(stored) as S);
        // Stored events are the domain's events as JSON: the one place they are cast back.
        write.run(id, JSON.stringify(evolve(state, { type: event.type, data: event.data } as E)));
      };
    },
    drop(db: ViewsDatabase) {
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}
