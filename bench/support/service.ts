import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { storeEnv } from './store';

export const BENCH_KEY = 'bench-recorder-key';

/** The baseline of `position-at`: a route on the same Nest app and HTTP adapter that does nothing. */
@Controller('bench')
class BareController {
  @Get('bare')
  bare(): { ok: true } {
    return { ok: true };
  }
}

/**
 * Waits until the service is idle: started on a store a CLI import just wrote, it first takes
 * in what the import left it (the watch state reads every new event), and the query workloads
 * measure the service as it then stands, not its catch-up. Idle: three seconds in a row using
 * under a tenth of a core. Returns the seconds it waited (at most `limit`).
 */
export async function settled(limit = 900): Promise<number> {
  const started = Date.now();
  let quiet = 0;
  while (quiet < 3 && Date.now() - started < limit * 1000) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { user, system } = process.cpuUsage(before);
    quiet = user + system < 100_000 ? quiet + 1 : 0;
  }
  return (Date.now() - started) / 1000;
}

export interface BenchService {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The real service on 127.0.0.1, no rate limit, no access log, on a data folder of its own (and the store `--store` names). */
export async function startService(dataDir = mkdtempSync(join(tmpdir(), 'positions-bench-'))): Promise<BenchService> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    API_KEYS: `recorder:${BENCH_KEY}`,
    SEED_DEMO: 'false',
    RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    ...storeEnv(dataDir),
  });
  const app = await createApp(config, { controllers: [BareController] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, dataDir, close: () => app.close() };
}
