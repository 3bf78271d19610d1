import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DATABASE_FILE = /^(events|views)\.db(-wal|-shm)?$/;

/**
 * Makes an existing data folder private (0700) and its database files 0600: folders and files made by earlier versions
 * were readable by every local user, idempotency keys and all. New ones are created so (the stores, the key files).
 */
export function makeDataFolderPrivate(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  restrict(dataDir, 0o700);
  for (const name of readdirSync(dataDir)) if (DATABASE_FILE.test(name)) restrict(join(dataDir, name), 0o600);
}

function restrict(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) === mode) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    // A read-only folder or another owner's files: the store says so more clearly when it opens them.
    if (!['EROFS', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
