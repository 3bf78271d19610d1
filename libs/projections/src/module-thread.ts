import { dirname, extname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/*
 * Loads a thread's module. Built, it is JavaScript; under the tests it is the TypeScript source,
 * which the thread compiles on loading. Its imports must be relative or of packages: the
 * libraries' `@positions/...` names resolve only under the build and jest, so a thread's module
 * imports them for their types alone.
 */
const LOADER = `
const { workerData } = require('node:worker_threads');
if (workerData.typescript) {
  const ts = require(workerData.typescript);
  const fs = require('node:fs');
  require.extensions['.ts'] = (module, file) => {
    const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText, file);
  };
}
require(workerData.module);
`;

/** Starts `module` on a thread of its own, built or from the sources alike; `data` is its `workerData` (with `module` and `typescript` added). */
export function moduleThread(module: string, data: Record<string, unknown>, options: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
  const typescript = module.endsWith('.ts') ? require.resolve('typescript') : null;
  return new Worker(LOADER, { ...options, eval: true, workerData: { ...data, module, typescript } });
}

/** The path of module `name` in the folder of `file` (a caller's `__filename`), built or not ('.js' or '.ts' as `file` is). */
export const moduleBeside = (file: string, name: string): string => join(dirname(file), `${name}${extname(file)}`);
