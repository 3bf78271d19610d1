import { moduleBeside, moduleThread } from '@positions/projections';

/** Reading an article (its page, then its candidates) that takes longer than this is refused rather than let hold up the service. */
export const READING_TIMEOUT_MS = 20_000;

/** Thrown when a worker is cut off; the caller names the field and the refusal. */
export class WorkerTimedOut extends Error {}

/**
 * Runs a module in a worker thread of its own, off the event loop, and answers the one message it
 * posts. The worker is ended when it answers, fails, or runs past `timeoutMs` (`WorkerTimedOut`).
 */
export function inWorker<T>(module: string, input: Record<string, unknown>, timeoutMs = READING_TIMEOUT_MS): Promise<T> {
  const worker = moduleThread(module, input, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
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
export const besideThis = (name: string): string => moduleBeside(__filename, name);
