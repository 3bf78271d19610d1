import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from '../kurrentdb-event-store';
import { FakeKurrentClient } from './fake-kurrentdb-client';

export interface FakeClientStores {
  /** The fake client of the running test: a fresh one for each test. */
  readonly client: FakeKurrentClient;
  /** A store on that client, closed after the test. */
  open(options?: KurrentDbEventStoreOptions): KurrentDbEventStore;
}

/** Call inside a `describe`: each test gets a fresh fake client, and the stores it opens are closed after it. */
export function fakeClientStores(): FakeClientStores {
  const stores: KurrentDbEventStore[] = [];
  const world = {
    client: new FakeKurrentClient(),
    open(options: KurrentDbEventStoreOptions = {}): KurrentDbEventStore {
      const store = new KurrentDbEventStore(world.client, { onSubscriptionDrop: () => undefined, ...options });
      stores.push(store);
      return store;
    },
  };
  beforeEach(() => {
    world.client = new FakeKurrentClient();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  return world;
}
