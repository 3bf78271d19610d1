import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DataSet, DataSetLoader, EVENT_STORE } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The sample data set shipped with the project (the seed article of 2025-02-26), found from the sources or from `dist/`. */
export function demoDataFile(from = __dirname): string {
  const file = join(from, 'samples', 'sanctions-2025-02-26.json');
  if (existsSync(file) || dirname(from) === from) return file;
  return demoDataFile(dirname(from));
}

/** Loads the sample data into an empty store, so a first `npm start` shows data at once. */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly loader: DataSetLoader,
  ) {}

  async seedIfEmpty(file = demoDataFile()): Promise<void> {
    if ((await this.store.lastPosition()) > 0) return;
    this.logger.log(`the store is empty: loading the sample data set ${file}`);
    await this.loader.load(JSON.parse(readFileSync(file, 'utf8')) as DataSet, 'system:demo');
  }
}
