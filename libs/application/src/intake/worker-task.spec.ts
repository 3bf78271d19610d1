import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inWorker, WorkerTimedOut } from './worker-task';

describe('work in a worker thread', () => {
  const folder = mkdtempSync(join(tmpdir(), 'positions-worker-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('answers what the worker posts, from the input it was given', async () => {
    const module = join(folder, 'double.js');
    writeFileSync(module, "const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage(workerData.n * 2);");
    await expect(inWorker<number>(module, { n: 21 })).resolves.toBe(42);
  });

  it('cuts off a worker that runs past its time, and says so', async () => {
    const module = join(folder, 'spin.js');
    writeFileSync(module, 'for (;;) {}');
    await expect(inWorker(module, {}, 200)).rejects.toBeInstanceOf(WorkerTimedOut);
  }, 30_000);
});
