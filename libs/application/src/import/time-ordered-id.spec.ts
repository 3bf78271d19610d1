import { timeOrderedId } from './time-ordered-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('timeOrderedId (the import’s statement and event ids)', () => {
  // Times after the real clock: the generator's state never runs ahead of them.
  const T = Date.UTC(2100, 2, 1);
  afterEach(() => jest.restoreAllMocks());

  it('gives version-7 UUIDs that carry the time and sort in the order they were made', () => {
    jest.spyOn(Date, 'now').mockReturnValue(T);
    const made = Array.from({ length: 10_000 }, () => timeOrderedId());
    made.forEach((id) => expect(id).toMatch(UUID_V7));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(msOf(made[0])).toBe(T);
  });

  it('keeps the order when the clock stands still, or steps back', () => {
    let now = T + 1000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const made = Array.from({ length: 5000 }, () => timeOrderedId());
    now -= 60_000;
    made.push(timeOrderedId(), timeOrderedId());
    now += 120_000;
    made.push(timeOrderedId());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(msOf(made.at(-1) as string)).toBe(now);
  });
});
