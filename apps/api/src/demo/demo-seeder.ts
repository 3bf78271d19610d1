import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DataSet, DataSetLoader, EVENT_STORE } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root';

/** The sample data set shipped with the project (the seed article of 2025-02-26), in the installed package. */
export const demoDataFile = (): string => join(packageRoot(), 'samples', 'sanctions-2025-02-26.json');

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
