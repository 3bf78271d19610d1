/*
 * The search thread's module (see `SearchThread`): its own connection to the views file, on
 * which it answers each search it is sent, one after the other, as `searchStatements` answers it
 * on the event loop. It loads under the tests from the sources: its imports stay relative.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { SearchReply, SearchRequest } from './search-thread';
import { searchStatements } from './statement-search.reader';
import { type ServingViews, ViewReader } from './view-reader';
import { openViewsReader } from './views-database';

/** The generation a search was sent for is gone: the other thread follows the switch and sends it again. */
class Switched extends Error {}

function serve(file: string, port: MessagePort): void {
  let suffix = '';
  const views: ServingViews = {
    suffix: () => suffix,
    followSwitches: () => {
      throw new Switched();
    },
    versionOf: () => 0,
    knownThrough: () => null,
  };
  const read = new ViewReader(openViewsReader(file), views);
  port.on('message', ({ id, search, suffix: asked }: SearchRequest) => {
    suffix = asked;
    let reply: SearchReply;
    try {
      reply = { id, page: searchStatements(read, search) };
    } catch (error) {
      reply = error instanceof Switched ? { id, switched: true } : { id, failed: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}

if (parentPort) serve((workerData as { file: string }).file, parentPort);
