import { fastifyStatic } from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../package-root';

/**
 * The page's own policy: scripts and data from this origin only. Styles may be inline because Observable Plot writes
 * `style` attributes and a `<style>` element into each chart.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `/embed`, the page's read-only view, may be framed by any site; nothing else may (`frame-ancestors 'none'`). */
export const EMBED_CONTENT_SECURITY_POLICY = WEB_CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", 'frame-ancestors *');

/** Where `vite build` puts the page: `dist/web` in the installed package. */
export const webAppDir = (): string => join(packageRoot(), 'dist', 'web');

/**
 * Serves the built web page at `/` (docs/decisions/0006-web.md). Call before `app.init()`. The API keeps its routes
 * (`/api`, `/health`, `/docs`): Fastify prefers them to this plugin's wildcard, and a path that is neither a route nor
 * a file still gets the API's 404 body. Without a build (tests that don't build the page) `/` answers a short 404 and
 * nothing else changes.
 */
export async function serveWebApp(app: NestFastifyApplication, dir: string): Promise<boolean> {
  const root = resolve(dir);
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('WebApp').log(`the web page is not built (no ${join(root, 'index.html')}): run npm run build:web; / answers 404 until then`);
    fastify.get('/', (_request, reply) => {
      void reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The web page is not built (npm run build:web). The API is under /api, its documentation at /docs.\n');
    });
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    // Another static root (the API docs' assets) already decorated the reply.
    decorateReply: false,
    // Files are looked up per request, so a rebuild needs no restart and a missing file falls through to the 404.
    wildcard: true,
    dotfiles: 'ignore',
    // Source maps are for development (vite's dev server); a stale one left in the folder is not served.
    allowedPath: (path: string) => !path.endsWith('.map'),
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      reply.header('x-content-type-options', 'nosniff');
      if (path.endsWith('.html')) {
        reply.header('cache-control', 'no-cache');
        reply.header('content-security-policy', WEB_CONTENT_SECURITY_POLICY);
        reply.header('referrer-policy', 'no-referrer');
      } else if (/[\\/]assets[\\/]/.test(path)) {
        // Vite names these after their content: they never change under one name.
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else reply.header('cache-control', 'no-cache');
    },
  });
  fastify.get('/embed', (_request, reply) => {
    // Read per request, as the static files are: a rebuild needs no restart.
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    reply.removeHeader('x-frame-options');
    void reply
      .header('content-security-policy', EMBED_CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-cache')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html);
  });
  return true;
}
