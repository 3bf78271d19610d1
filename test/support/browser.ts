/**
 * The web page's end-to-end tests: the page built once with Vite, the real service on a free port with the sample
 * data, and Debian's Chromium driven by playwright-core (docs/decisions/0006-web.md).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { KEYS, type KeyRole } from './app-harness';

export const ROOT = resolve(__dirname, '..', '..');
export const WEB_DIR = join(ROOT, 'dist', 'web');
export const CHROMIUM = '/usr/bin/chromium';
/** The flags this machine needs (.library/env/machines/node.md): no sandbox as root, no GPU, no calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const SCREENSHOTS = join(ROOT, 'test', 'screenshots');

/** `describe`, or, when Chromium is not installed, one skipped test that says why (and a warning in the output). */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the web page's tests`;
  describe(name, () => {
    console.warn(`skipped "${name}": ${reason}`);
    it.skip(reason, () => undefined);
  });
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isBuilt(): boolean {
  const index = join(WEB_DIR, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'apps', 'web'));
}

/**
 * Builds the page into `dist/web` unless a build newer than every file of `apps/web` is there already. Test files
 * running in parallel take turns through a lock folder, so one builds and the others reuse it.
 */
export function ensureWebBuilt(): void {
  if (isBuilt()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.web-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than the deadline is left over from a killed run.
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 180_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      sleepSync(250);
    }
  }
  try {
    if (!isBuilt()) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: 'pipe',
        env: { ...process.env, NODE_ENV: 'production' },
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface WebService {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body: unknown, as: KeyRole): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real service on a free port with the sample data and the four test keys (test/support/app-harness.ts). */
export async function startWebService(env: Record<string, string> = {}): Promise<WebService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'positions-web-'));
  const apiKeys = Object.entries(KEYS)
    .map(([role, key]) => `${role}:${key}`)
    .join(',');
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS: apiKeys, SEED_DEMO: 'true', RATE_LIMIT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dataDir,
    async get(path) {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${KEYS.reader}` } });
      return (await response.json()) as any;
    },
    async post(path, body, as) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS[as]}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors, failed requests and page errors seen so far (a clean page has none). */
  problems: string[];
  /** Saves `test/screenshots/{name}.png`: the whole page, or only the window. */
  screenshot(name: string, fullPage?: boolean): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (Playwright makes a new empty user data dir for each launch). */
export async function openBrowser(viewport = { width: 1440, height: 960 }, options: { bypassCSP?: boolean } = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  // bypassCSP: only for tests that inject a checker (axe-core) the page's own policy would refuse.
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Europe/Berlin', bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    context,
    page,
    problems,
    async screenshot(name: string, fullPage = true) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** Waits until the page has loaded its topic and drawn the lanes and the landscape. */
export async function waitForPage(page: Page): Promise<void> {
  await page.waitForSelector('main[aria-busy="false"]');
  await page.waitForSelector('#landscape[aria-busy="false"] table');
}

/** The page's state lives in its URL: waits until a parameter has a value (null: is absent). */
export async function waitForUrlParam(page: Page, name: string, value: string | null): Promise<void> {
  await page.waitForFunction(
    ([n, v]) => new URL((globalThis as any).location.href).searchParams.get(n as string) === v,
    [name, value],
  );
}

/** An attribute of the focused element (`id` for its id), or null when nothing has focus. */
export async function focused(page: Page, attribute: string): Promise<string | null> {
  return page.evaluate((name) => {
    const element = (globalThis as any).document.activeElement;
    if (!element) return null;
    return name === 'id' ? element.id : name === 'class' ? element.getAttribute('class') : element.getAttribute(name);
  }, attribute);
}
