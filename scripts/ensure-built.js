#!/usr/bin/env node
'use strict';
/*
 * `npm start` and `npm run cli` run this first: it runs `npm run build` (TypeScript, then the web
 * page) only when the build is missing or older than its sources, so a start runs the current
 * code without a 40-second build every time. Build output goes to stderr: stdout belongs to the
 * CLI's --json and export.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
/** What `npm run build` makes: the service, the CLI and the web page. */
const outputs = ['apps/api/src/main.js', 'apps/cli/src/main.js', 'web/index.html'].map((file) => join(dist, file));
// Written only after a build that succeeded: tsc emits even when it fails (and tsc-alias and vite
// then do not run), so a new main.js proves nothing.
const stamp = join(dist, '.built');
/** Besides apps/ and libs/: the files that change what the build makes. */
const configs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time of a build input below dir: sources, styles, HTML, the web page's own configs; not specs. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function upToDate() {
  if (!existsSync(stamp) || !outputs.every((file) => existsSync(file))) return false;
  const sources = Math.max(newestSource(join(root, 'apps')), newestSource(join(root, 'libs')), ...configs.map((f) => statSync(join(root, f)).mtimeMs));
  return statSync(stamp).mtimeMs >= sources;
}

if (upToDate()) process.exit(0);

process.stderr.write('positions: the build is missing or older than the sources, running npm run build...\n');
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
