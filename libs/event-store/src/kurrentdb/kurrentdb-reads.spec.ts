import { ReadTimeoutError } from './kurrentdb-errors';
import { withIdleTimeout, within } from './kurrentdb-reads';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('bounded reads', () => {
  it('lets a long read run as long as each item comes within the timeout', async () => {
    // The whole read (4 × 250 ms) outlasts the timeout; each gap stays well inside it, even on a loaded machine.
    async function* slowButSteady() {
      for (let i = 0; i < 4; i++) {
        await sleep(250);
        yield i;
      }
    }
    const items: number[] = [];
    for await (const item of withIdleTimeout(slowButSteady(), 600)) items.push(item);
    expect(items).toEqual([0, 1, 2, 3]);
  });

  it('fails with ReadTimeoutError when the next item does not come in time', async () => {
    async function* stuck() {
      yield 1;
      await new Promise(() => undefined);
    }
    const items: number[] = [];
    const reading = (async () => {
      for await (const item of withIdleTimeout(stuck(), 20)) items.push(item);
    })();
    await expect(reading).rejects.toBeInstanceOf(ReadTimeoutError);
    expect(items).toEqual([1]);
  });

  it('stops the underlying read when the consumer breaks early', async () => {
    let finished = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
      } finally {
        finished = true;
      }
    }
    for await (const _item of withIdleTimeout(source(), 100)) break;
    await sleep(0);
    expect(finished).toBe(true);
  });

  it('bounds a single promise, and swallows its late rejection', async () => {
    await expect(within(Promise.resolve(7), 10)).resolves.toBe(7);
    const late = sleep(30).then(() => Promise.reject(new Error('late')));
    await expect(within(late, 5)).rejects.toBeInstanceOf(ReadTimeoutError);
    await sleep(40); // an unhandled rejection here would fail the test run
  });
});
