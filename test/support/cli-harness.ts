import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { replaceTscAliasPaths } from 'tsc-alias';
import * as ts from 'typescript';

export const ROOT = resolve(__dirname, '../..');
const BUILD_CONFIG = join(ROOT, 'tsconfig.build.json');
const LOCK_STALE_MS = 180_000;

/**
 * Builds the CLI once per version of its sources, into a temp folder named by their digest, and
 * returns its main.js. Only the CLI and what it imports are compiled (other apps' work in progress
 * cannot break it), with tsc-alias as `npm run build` does. Jest workers running the cli specs in
 * parallel share the build: the first takes a lock (an atomic mkdir), the others wait for it.
 */
export async function buildCli(): Promise<string> {
  const outDir = join(tmpdir(), `positions-cli-build-${sourceDigest()}`);
  const main = join(outDir, 'apps/cli/src/main.js');
  const done = join(outDir, '.done');
  const lock = `${outDir}.lock`;
  for (;;) {
    if (existsSync(done)) return main;
    if (takeLock(lock)) break;
    await sleep(200);
  }
  try {
    rmSync(outDir, { recursive: true, force: true });
    compile(outDir);
    await replaceTscAliasPaths({ configFile: BUILD_CONFIG, outDir });
    writeFileSync(done, new Date().toISOString());
    removeOldBuilds();
    return main;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds of sources long since changed: a day old is old enough that no run still uses them. */
function removeOldBuilds(): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (name.startsWith('positions-cli-build-') && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 86_400_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    // A lock left by a killed run would block every later one.
    if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function compile(outDir: string): void {
  const { config } = ts.readConfigFile(BUILD_CONFIG, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const program = ts.createProgram([join(ROOT, 'apps/cli/src/main.ts')], { ...options, outDir, rootDir: ROOT, sourceMap: false, noEmitOnError: false });
  const result = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
    throw new Error(`the CLI does not compile:\n${ts.formatDiagnostics(errors, host)}`);
  }
}

/** Names a build by its inputs: every source file's path, size and modification time. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) hash.update(`${path}:${statSync(path).size}:${statSync(path).mtimeMs}\n`);
    }
  };
  walk(join(ROOT, 'apps/cli/src'));
  walk(join(ROOT, 'libs'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) hash.update(`${file}:${statSync(join(ROOT, file)).mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

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
