import type { ViewsDatabase } from './projection';

/** Where a view's live generation stands, and a rebuild's while one is under way. */
export interface Checkpoint {
  name: string;
  version: number;
  generation: number;
  position: number;
}

export const suffixOf = (name: string, version: number, generation: number): string =>
  `_${name.replace(/-/g, '_')}_v${version}_g${generation}`;

/**
 * The checkpoint rows: `projection_checkpoints` for the generation that answers queries,
 * `projection_builds` for one being rebuilt. Each moves in the same transaction as its rows.
 * `projection_bulk_builders` names the process building a view in bulk (`buildInBulk`): no
 * other process may resume that build while it lives.
 */
export class Checkpoints {
  private readonly selectLive;
  private readonly selectBuild;
  private readonly upsertLive;
  private readonly upsertBuild;
  private readonly deleteBuild;
  private readonly selectBuilder;
  private readonly selectBuilders;
  private readonly upsertBuilder;
  private readonly deleteBuilder;

  constructor(db: ViewsDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, generation INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS projection_builds (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, generation INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS projection_bulk_builders (name TEXT PRIMARY KEY, pid INTEGER NOT NULL);`);
    this.selectLive = db.prepare('SELECT name, version, generation, position FROM projection_checkpoints WHERE name = ?');
    this.selectBuild = db.prepare('SELECT name, version, generation, position FROM projection_builds WHERE name = ?');
    const upsert = (table: string) =>
      db.prepare(`INSERT INTO ${table} (name, version, generation, position) VALUES (@name, @version, @generation, @position)
        ON CONFLICT(name) DO UPDATE SET version = excluded.version, generation = excluded.generation, position = excluded.position`);
    this.upsertLive = upsert('projection_checkpoints');
    this.upsertBuild = upsert('projection_builds');
    this.deleteBuild = db.prepare('DELETE FROM projection_builds WHERE name = ?');
    this.selectBuilder = db.prepare('SELECT pid FROM projection_bulk_builders WHERE name = ?').pluck();
    this.selectBuilders = db.prepare('SELECT name, pid FROM projection_bulk_builders');
    this.upsertBuilder = db.prepare('INSERT INTO projection_bulk_builders (name, pid) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET pid = excluded.pid');
    this.deleteBuilder = db.prepare('DELETE FROM projection_bulk_builders WHERE name = ?');
  }

  live(name: string): Checkpoint | null {
    return (this.selectLive.get(name) as Checkpoint | undefined) ?? null;
  }

  build(name: string): Checkpoint | null {
    return (this.selectBuild.get(name) as Checkpoint | undefined) ?? null;
  }

  saveLive(checkpoint: Checkpoint): void {
    this.upsertLive.run(checkpoint);
  }

  saveBuild(checkpoint: Checkpoint): void {
    this.upsertBuild.run(checkpoint);
  }

  endBuild(name: string): void {
    this.deleteBuild.run(name);
    this.deleteBuilder.run(name);
  }

  /** The process building `name` in bulk, if one was (it may have died since). */
  builder(name: string): number | null {
    return (this.selectBuilder.get(name) as number | undefined) ?? null;
  }

  /** Every view being built in bulk, with its process (which may have died since). */
  builders(): { name: string; pid: number }[] {
    return this.selectBuilders.all() as { name: string; pid: number }[];
  }

  saveBuilder(name: string, pid: number): void {
    this.upsertBuilder.run(name, pid);
  }

  endBuilder(name: string): void {
    this.deleteBuilder.run(name);
  }
}
