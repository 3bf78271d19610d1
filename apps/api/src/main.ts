import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Main').log(`positions is listening on http://${config.host}:${config.port} (store: ${config.store.kind}, data: ${config.dataDir}); API docs at /docs`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  new Logger('Main').error(`positions could not start: ${message}`);
  // Written directly too: the structured logger may still buffer when the process exits.
  process.stderr.write(`positions could not start: ${message}\n`);
  process.exit(1);
});
