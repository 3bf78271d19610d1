/** Joins pieces into chunks of about 64 KiB: one write per row would be slow, the whole answer too big. */
export async function* chunked(pieces: AsyncIterable<string>): AsyncGenerator<string> {
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
