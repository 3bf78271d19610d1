import { periodCount, periodsBetween, type PanelStep } from './panel-periods';

describe('panel periods', () => {
  it.each([
    ['day', '2024-02-27', '2024-03-01', ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'], '2024-03-01'],
    ['week', '2020-12-31', '2021-01-11', ['2020-W53', '2021-W01', '2021-W02'], '2021-01-17'],
    ['week', '2024-12-30', '2025-01-05', ['2025-W01'], '2025-01-05'],
    ['month', '2024-01-31', '2024-03-01', ['2024-01', '2024-02', '2024-03'], '2024-03-31'],
    ['year', '2023-06-01', '2025-01-01', ['2023', '2024', '2025'], '2025-12-31'],
  ] as [PanelStep, string, string, string[], string][])('%s from %s to %s', (step, from, to, labels, lastDay) => {
    const periods = periodsBetween(step, from, to, 1000);
    expect(periods.map((p) => p.label)).toEqual(labels);
    expect(periods.at(-1)?.lastDay).toBe(lastDay);
    expect(periodCount(step, from, to)).toBe(labels.length);
  });

  it('counts ten years of days without listing them', () => {
    expect(periodCount('day', '2015-01-01', '2024-12-31')).toBe(3653);
    expect(periodCount('month', '2015-01-01', '2024-12-31')).toBe(120);
  });
});
