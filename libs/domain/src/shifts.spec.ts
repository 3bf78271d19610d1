import { classifyShift, type Direction, type Shift } from './shifts';

describe('classifyShift', () => {
  // Scores from the seed codebook: lift-unconditionally 2, concessions-needed 1, not-yet 0, no-lifting -1, tighten -2.
  it.each<[string, number | null, number, Shift, Direction | null]>([
    ['a first statement', null, 0, 'first', null],
    ['a first statement, whatever its score', null, -2, 'first', null],
    ['a restatement of not-yet', 0, 0, 'no-flip', null],
    ['another code with the same score', 1, 1, 'no-flip', null],
    ['concessions-needed (Rubio) → not-yet (Trump)', 1, 0, 'half-flip', 'away'],
    ['no-lifting → not-yet', -1, 0, 'half-flip', 'toward'],
    ['tighten → no-lifting', -2, -1, 'half-flip', 'toward'],
    ['not-yet → tighten', 0, -2, 'full-flop', 'away'],
    ['no-lifting → concessions-needed', -1, 1, 'full-flop', 'toward'],
    ['tighten → lift-unconditionally', -2, 2, 'full-flop', 'toward'],
    ['lift-unconditionally → tighten', 2, -2, 'full-flop', 'away'],
  ])('given %s (%p → %p), then it is %s %s', (_, previous, score, shift, direction) => {
    expect(classifyShift(previous, score)).toEqual({ shift, direction });
  });

  it('given a previous score of 0, then 0 counts as a previous statement, not as none', () => {
    expect(classifyShift(0, 1).shift).toBe('half-flip');
  });
});
