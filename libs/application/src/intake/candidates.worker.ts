import { parentPort, workerData } from 'node:worker_threads';
import type { IntakeCandidate } from '@positions/domain';
import { type ArticleReading, suggestCandidates } from './extract-candidates';

/** What the worker answers. Its callers import this type, which also keeps this module in every build that reads articles. */
export type ArticleCandidates = IntakeCandidate[];

// Run by `inWorker` (worker-task.ts) in a thread of its own: reads one article and answers its candidates.
parentPort?.postMessage(suggestCandidates(workerData as ArticleReading) satisfies ArticleCandidates);
