import { TimeOrderedIds } from './time-ordered-ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('TimeOrderedIds', () => {
  it('gives version-7 UUIDs that carry the time and sort in the order they were made', () => {
    const ids = new TimeOrderedIds(() => Date.UTC(2025, 2, 1));
    const made = Array.from({ length: 10_000 }, () => ids.next());
    made.forEach((id) => expect(id).toMatch(UUID_V7));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(parseInt(made[0].replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2025, 2, 1));
  });

  it('keeps the order when the clock stands still past the counter, or steps back', () => {
    let now = Date.UTC(2025, 2, 1);
    const ids = new TimeOrderedIds(() => now);
    const made = Array.from({ length: 5000 }, () => ids.next());
    now -= 60_000;
    made.push(ids.next(), ids.next());
    now += 120_000;
    made.push(ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });
});
