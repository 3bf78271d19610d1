import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError } from '../config';

/** The shortest secret the service accepts, in characters (keys in `API_KEYS` too). */
export const MIN_SECRET_LENGTH = 16;

/**
 * A secret kept in a file of the data folder (mode 0600): read when it is there, else created from `generate()`.
 * Created whole or not at all, whoever starts at the same moment: written and synced under a temporary name, then
 * hard-linked to its name, which fails if another process got there first (whose secret is then read).
 */
export function readOrCreateSecret(file: string, generate: () => string): { secret: string; created: boolean } {
  try {
    return { secret: readSecret(file), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const created = createOnce(file, `${generate()}\n`);
  return { secret: readSecret(file), created };
}

function createOnce(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** The secret in `file`, refused when it is not a regular file, others may read it, or it is empty or short. */
export function readSecret(file: string): string {
  const fd = openNoFollow(file);
  try {
    const stat = fstatSync(fd);
    const name = basename(file);
    if (!stat.isFile()) throw new ConfigError(`${file} must be a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      throw new ConfigError(`${file} may be read by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 ${file}, and replace ${name} if others could have read it`);
    }
    const secret = readFileSync(fd, 'utf8').trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`${file} holds ${secret.length === 0 ? 'nothing' : 'too short a secret'}: it needs at least ${MIN_SECRET_LENGTH} characters (remove the file to have a new one generated)`);
    }
    return secret;
  } finally {
    closeSync(fd);
  }
}

function openNoFollow(file: string): number {
  try {
    return openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ConfigError(`${file} must be a regular file, not a symbolic link`);
    throw error;
  }
}
