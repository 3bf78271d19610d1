'use strict';
/*
 * Loaded with `node --require` before the CLI (cli-usage.e2e-spec.ts): notes on stderr, at exit,
 * each heavy module the process loaded (Nest, the application layer or its read side alone, the
 * projections, the store's drivers, the validators; the event-store library itself is only the port
 * and the factory, which load no driver), so a test can check that `--help` loads none of them.
 */
const Module = require('node:module');

const HEAVY = [/^@nestjs\/(core|cqrs)$/, /^better-sqlite3$/, /^@kurrent\/kurrentdb-client$/, /^class-validator$/, /libs\/(application|projections)\/src\/index(\.js)?$/, /libs\/application\/src\/read(\/index\.js)?$/];
const loaded = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  if (HEAVY.some((pattern) => pattern.test(request))) loaded.add(request.replace(/^.*libs\//, 'libs/'));
  return load.call(this, request, ...rest);
};
process.on('exit', () => {
  if (loaded.size > 0) process.stderr.write(`heavy modules loaded: ${[...loaded].join(', ')}\n`);
});
