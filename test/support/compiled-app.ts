import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { replaceTscAliasPaths } from 'tsc-alias';
import * as ts from 'typescript';

export const ROOT = resolve(__dirname, '../..');
const BUILD_CONFIG = join(ROOT, 'tsconfig.build.json');
const LOCK_STALE_MS = 180_000;

/**
 * Compiles one app (`api` or `cli`) and what it imports, once per version of its sources, into a
 * temp folder named by their digest, with tsc-alias as `npm run build` does, and returns its
 * main.js: process tests need no `npm run build` first, and other apps' work cannot break them.
 * Jest workers share the build: the first takes a lock (an atomic mkdir), the others wait for it.
 */
export async function compiledApp(app: 'api' | 'cli'): Promise<string> {
  const outDir = join(tmpdir(), `positions-${app}-build-${sourceDigest(app)}`);
  const main = join(outDir, `apps/${app}/src/main.js`);
  const done = join(outDir, '.done');
  const lock = `${outDir}.lock`;
  for (;;) {
    if (existsSync(done)) return main;
    if (takeLock(lock)) break;
    await sleep(200);
  }
  try {
    rmSync(outDir, { recursive: true, force: true });
    compile(app, outDir);
    await replaceTscAliasPaths({ configFile: BUILD_CONFIG, outDir });
    writeFileSync(done, new Date().toISOString());
    removeOldBuilds(app);
    return main;
  } finally {
    rmSync(lock, { recursive: true, force: true });
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

function compile(app: string, outDir: string): void {
  const { config } = ts.readConfigFile(BUILD_CONFIG, ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  // Ambient declarations (libs/domain/src/edtf.d.ts) are imported by no file: the build finds them through its include.
  const declarations = fileNames.filter((file) => file.endsWith('.d.ts'));
  const program = ts.createProgram([join(ROOT, `apps/${app}/src/main.ts`), ...declarations], { ...options, outDir, rootDir: ROOT, sourceMap: false, noEmitOnError: false });
  const result = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
    throw new Error(`apps/${app} does not compile:\n${ts.formatDiagnostics(errors, host)}`);
  }
}

/** Names a build by its inputs: every source file's path, size and modification time. */
function sourceDigest(app: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) hash.update(`${path}:${statSync(path).size}:${statSync(path).mtimeMs}\n`);
    }
  };
  walk(join(ROOT, `apps/${app}/src`));
  walk(join(ROOT, 'libs'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) hash.update(`${file}:${statSync(join(ROOT, file)).mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Builds of sources long since changed: a day old is old enough that no run still uses them. */
function removeOldBuilds(app: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (name.startsWith(`positions-${app}-build-`) && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 86_400_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}
