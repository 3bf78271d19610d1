import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web page (docs/decisions/0006-web.md): static files built into `dist/web` at the repository root,
 * served by the API app at `/`. Paths are relative to the repository root, where npm runs scripts.
 */
export default defineConfig({
  root: 'apps/web',
  base: '/',
  publicDir: false,
  // `vite --config apps/web/vite.config.ts`: the page with hot reload, its API calls sent to a service on :3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the build the service serves: the dev server (npm run dev:web) has its own.
    sourcemap: false,
    // Observable Plot with its d3 modules is about 300 kB before gzip; one chunk is fine for one page.
    chunkSizeWarningLimit: 600,
    // Two pages: the chart, and the intake of articles (intake.html).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        intake: fileURLToPath(new URL('./intake.html', import.meta.url)),
      },
    },
  },
});
