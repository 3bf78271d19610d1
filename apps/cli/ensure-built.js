#!/usr/bin/env node
'use strict';
/*
 * `npm run cli` runs this first: it builds dist/ (npm run build) when the CLI's output is missing
 * or older than any TypeScript source, so the command always runs the current code without a
 * 7-second build on every call. Build output goes to stderr: stdout belongs to --json and export.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
// Written only after a build that succeeded: tsc emits even when it fails (and tsc-alias then does
// not run), so main.js being new proves nothing.
const stamp = join(root, 'dist', 'apps', 'cli', '.built');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(join(root, 'apps')), newestSource(join(root, 'libs')), ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs));
if (existsSync(main) && existsSync(stamp) && statSync(stamp).mtimeMs >= sources) process.exit(0);

process.stderr.write('positions: the build is missing or stale, running npm run build...\n');
const startedAt = new Date();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
if (build.status !== 0) {
  process.stderr.write(`positions: npm run build failed (exit ${build.status}); see the errors above\n`);
  process.exit(build.status || 1);
}
// Dated when the build started: a source saved during the build makes the next run build again.
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
utimesSync(stamp, startedAt, startedAt);
