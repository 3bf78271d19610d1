/**
 * Counts the turns of the event loop other work gets while `work` runs: a `setImmediate` chain
 * that goes round once per turn (and calls `onTurn` each time). Work that holds the loop from
 * start to end lets it round at most once or twice; work that pauses between pages lets it round
 * at each pause.
 */
export async function turnsDuring<T>(work: () => Promise<T>, onTurn: () => void = () => undefined): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    onTurn();
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { result: await work(), turns };
  } finally {
    ticking = false;
  }
}
