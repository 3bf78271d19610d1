import type { PageText } from './article-text.worker';
import { besideThis, inWorker } from './worker-task';

/**
 * The article's own text out of a web page, read in a worker thread (article-text.worker.ts):
 * linkedom and its parsers are ES modules that Node loads in a plain thread but jest cannot, and a
 * hostile page cannot block the service's event loop (it is cut off like any reading, `WorkerTimedOut`).
 * Empty `text` when the page has none.
 */
export function articleText(html: string): Promise<PageText> {
  return inWorker<PageText>(besideThis('article-text.worker'), { html });
}
