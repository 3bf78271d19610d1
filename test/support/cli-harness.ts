import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledApp, ROOT } from './compiled-app';

export { ROOT };

/** The CLI compiled (once per version of its sources) as `npm run build` would; its main.js. */
export const buildCli = (): Promise<string> => compiledApp('cli');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  dataDir: string;
  env?: Record<string, string>;
}

/** Runs `positions ARGS` as its own process on a data folder, as a user would. */
export function runCli(main: string, args: readonly string[], options: CliOptions): Promise<CliRun> {
  const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), DATA_DIR: options.dataDir, EVENT_STORE: 'sqlite', ...options.env };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** A fresh folder for a store, removed by the caller. */
export function tempDir(prefix = 'positions-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const SAMPLE = join(ROOT, 'samples/sanctions-2025-02-26.json');
export const SAMPLE_CSV = join(ROOT, 'samples/sanctions-2025-02-26-statements.csv');

/** Lines of an export: the event count of a store. */
export const lines = (ndjson: string): string[] => ndjson.split('\n').filter((l) => l !== '');
