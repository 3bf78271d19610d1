import { Worker } from 'node:worker_threads';

/** A page that takes longer than this to read is refused rather than let hold up the service. */
export const ARTICLE_TEXT_TIMEOUT_MS = 20_000;

/*
 * Runs in a worker thread: Readability picks the article out of the page, on linkedom's DOM,
 * which runs no script and loads nothing. Paragraphs stay apart (blank lines) so the intake's
 * paragraphs and pronouns follow the article's; only text comes out, never markup.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { parseHTML } = require(workerData.linkedom);
const { Readability } = require(workerData.readability);
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td';
const paragraphs = (root) => {
  if (!root) return '';
  const blocks = [...root.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  const parts = (blocks.length > 0 ? blocks.map((b) => b.textContent || '') : [root.textContent || '']).map((p) => p.replace(/\\s+/g, ' ').trim());
  return parts.filter(Boolean).join('\\n\\n');
};
const { document } = parseHTML(workerData.html);
for (const node of document.querySelectorAll('script, style, noscript, template, iframe, object, embed, svg')) node.remove();
const pageTitle = (document.querySelector('title') && document.querySelector('title').textContent.trim()) || null;
let article = null;
try { article = new Readability(document, { charThreshold: 100 }).parse(); } catch { article = null; }
const root = article && article.content ? parseHTML('<!doctype html><html><body>' + article.content + '</body></html>').document.body : document.body;
parentPort.postMessage({ text: paragraphs(root), title: (article && article.title && article.title.trim()) || pageTitle });
`;

/**
 * The article's own text out of a web page, read in a worker thread: linkedom and its parsers are
 * ES modules that Node loads in a plain thread, and a hostile page cannot block the service's
 * event loop (it is cut off after `ARTICLE_TEXT_TIMEOUT_MS`). Empty `text` when the page has none.
 */
export function articleText(html: string): Promise<{ text: string; title: string | null }> {
  const workerData = { html, linkedom: require.resolve('linkedom'), readability: require.resolve('@mozilla/readability') };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    const timer = setTimeout(() => void worker.terminate().then(() => reject(new Error('reading the page took too long'))), ARTICLE_TEXT_TIMEOUT_MS);
    worker.once('message', (answer: { text: string; title: string | null }) => {
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
