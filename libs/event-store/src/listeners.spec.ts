import { Listeners } from './listeners';

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Listeners', () => {
  it('notifies in a microtask, not inside the notifying call', async () => {
    const listeners = new Listeners();
    const seen: number[] = [];
    listeners.subscribe((position) => seen.push(position));
    listeners.notify(3);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual([3]);
  });

  it('delivers positions in notification order', async () => {
    const listeners = new Listeners();
    const seen: number[] = [];
    listeners.subscribe((position) => seen.push(position));
    listeners.notify(1);
    listeners.notify(2);
    await flushMicrotasks();
    expect(seen).toEqual([1, 2]);
  });

  it('reports a throwing listener and still calls the others', async () => {
    const errors: unknown[] = [];
    const listeners = new Listeners((error) => errors.push(error));
    const seen: number[] = [];
    const bug = new Error('bug');
    listeners.subscribe(() => {
      throw bug;
    });
    listeners.subscribe((position) => seen.push(position));
    listeners.notify(5);
    await flushMicrotasks();
    expect(errors).toEqual([bug]);
    expect(seen).toEqual([5]);
  });

  it('treats the same function subscribed twice as two subscriptions', async () => {
    const listeners = new Listeners();
    const seen: number[] = [];
    const listener = (position: number) => seen.push(position);
    const first = listeners.subscribe(listener);
    listeners.subscribe(listener);
    first();
    listeners.notify(1);
    await flushMicrotasks();
    expect(seen).toEqual([1]);
  });

  it('skips a listener unsubscribed by an earlier listener of the same round', async () => {
    const listeners = new Listeners();
    const seen: string[] = [];
    let unsubscribeSecond = () => {};
    listeners.subscribe(() => {
      seen.push('first');
      unsubscribeSecond();
    });
    unsubscribeSecond = listeners.subscribe(() => seen.push('second'));
    listeners.notify(1);
    await flushMicrotasks();
    expect(seen).toEqual(['first']);
  });

  it('calls no one after clear', async () => {
    const listeners = new Listeners();
    const seen: number[] = [];
    listeners.subscribe((position) => seen.push(position));
    listeners.clear();
    listeners.notify(1);
    await flushMicrotasks();
    expect(seen).toEqual([]);
  });
});
