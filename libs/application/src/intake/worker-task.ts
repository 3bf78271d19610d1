import { Worker } from 'node:worker_threads';

/** Reading an article (its page, then its candidates) that takes longer than this is refused rather than let hold up the service. */
export const READING_TIMEOUT_MS = 20_000;

/** Thrown when a worker is cut off; the caller names the field and the refusal. */
export class WorkerTimedOut extends Error {}

/*
 * Loads the worker's module. Built, it is JavaScript; under the tests it is the TypeScript
 * source, which the worker compiles on loading (its imports of the libraries are types only).
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

/**
 * Runs a module in a worker thread of its own, off the event loop, and answers the one message it
 * posts. The worker is ended when it answers, fails, or runs past `timeoutMs` (`WorkerTimedOut`).
 */
export function inWorker<T>(module: string, input: Record<string, unknown>, timeoutMs = READING_TIMEOUT_MS): Promise<T> {
  const typescript = module.endsWith('.ts') ? require.resolve('typescript') : null;
  const worker = new Worker(LOADER, { eval: true, workerData: { ...input, module, typescript }, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => void worker.terminate().then(() => reject(new WorkerTimedOut())), timeoutMs);
    worker.once('message', (answer: T) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The path of a module beside this one, built or not ('.js' or '.ts' as this file is). */
export const besideThis = (name: string): string => `${__dirname}/${name}${__filename.slice(__filename.lastIndexOf('.'))}`;
