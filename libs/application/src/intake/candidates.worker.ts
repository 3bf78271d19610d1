import { parentPort, workerData } from 'node:worker_threads';
import { type ArticleReading, suggestCandidates } from './extract-candidates';

// Run by `inWorker` (worker-task.ts) in a thread of its own: reads one article and answers its candidates.
parentPort?.postMessage(suggestCandidates(workerData as ArticleReading));
