import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { parentPort, workerData } from 'node:worker_threads';

/*
 * Run by `inWorker` (worker-task.ts) in a thread of its own: Readability picks the article out of
 * the page, on linkedom's DOM, which runs no script and loads nothing. Paragraphs stay apart
 * (blank lines) so the intake's paragraphs and pronouns follow the article's; only text comes
 * out, never markup.
 */
/** What the worker answers. Its callers import this type, which also keeps this module in every build that reads articles. */
export interface PageText {
  text: string;
  title: string | null;
}

type Root = ReturnType<typeof parseHTML>['document']['body'];

const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td';

function paragraphs(root: Root | null): string {
  if (!root) return '';
  const blocks = [...root.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  const parts = (blocks.length > 0 ? blocks.map((b) => b.textContent ?? '') : [root.textContent ?? '']).map((p) => p.replace(/\s+/g, ' ').trim());
  return parts.filter(Boolean).join('\n\n');
}

function read(html: string): PageText {
  const { document } = parseHTML(html);
  for (const node of document.querySelectorAll('script, style, noscript, template, iframe, object, embed, svg')) node.remove();
  const pageTitle = document.querySelector('title')?.textContent?.trim() || null;
  let article: ReturnType<Readability['parse']> = null;
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100 }).parse();
  } catch {
    article = null;
  }
  const root = article?.content ? parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body : document.body;
  return { text: paragraphs(root), title: article?.title?.trim() || pageTitle };
}

parentPort?.postMessage(read((workerData as { html: string }).html));
