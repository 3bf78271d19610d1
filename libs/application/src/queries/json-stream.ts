import { setImmediate as yieldToRequests } from 'node:timers/promises';

/** Joins pieces into chunks of about 64 KiB: one write per row would be slow, the whole answer too big. */
export async function* chunked(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** A JSON array written a batch of items at a time, as the batches come: the same text as `JSON.stringify` of them all. */
export async function* jsonArray(batches: AsyncIterable<readonly unknown[]>): AsyncGenerator<string> {
  async function* pieces() {
    yield '[';
    let first = true;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      yield `${first ? '' : ','}${batch.map((item) => JSON.stringify(item)).join(',')}`;
      first = false;
    }
    yield ']';
  }
  yield* chunked(pieces());
}

/**
 * An object already in memory written as JSON in chunks of about 64 KiB, with a pause for other
 * requests after each: the same text as `JSON.stringify(value)`. Its arrays are written an item
 * at a time, so one turn serialises at most a chunk and one item, not a page of megabytes.
 * `itemJson` gives the text of an array item already serialised (undefined: serialise it here).
 */
export async function* jsonObject(
  value: object,
  itemJson: (item: unknown) => string | undefined = () => undefined,
  pause: () => Promise<unknown> = yieldToRequests,
): AsyncGenerator<string> {
  for await (const chunk of chunked(objectPieces(value, itemJson))) {
    yield chunk;
    await pause();
  }
}

function* objectPieces(value: object, itemJson: (item: unknown) => string | undefined): Generator<string> {
  let open = '{';
  for (const [key, field] of Object.entries(value) as [string, unknown][]) {
    // As JSON.stringify: a property whose value has no JSON text is left out.
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
    yield `${open}${JSON.stringify(key)}:`;
    open = ',';
    if (!Array.isArray(field)) {
      yield JSON.stringify(field);
      continue;
    }
    yield '[';
    for (const [i, item] of field.entries()) yield `${i === 0 ? '' : ','}${itemJson(item) ?? JSON.stringify(item) ?? 'null'}`;
    yield ']';
  }
  yield open === '{' ? '{}' : '}';
}
