import { StanceCountsQuery } from '@positions/application';
import { QueryBus } from '@nestjs/cqrs';
import { topicId, type Shape } from '../support/dataset';
import { load } from '../support/load';
import { type BenchResult, log, percentile, timesOf } from '../support/measure';
import type { BenchService } from '../support/service';

const TEN_YEARS = 'from=2015-01-01&to=2024-12-31';
const ONE_DAY = 'from=2020-06-15&to=2020-06-15';

/**
 * Daily stance counts on the topic every actor spoke on (topic-0), ten years by day against one
 * day: the view answers from its changes per day, so the two must stay close whatever the record.
 */
export async function stanceCountsWorkload(service: BenchService, shape: Shape, seconds: number): Promise<BenchResult[]> {
  const path = (range: string) => `/api/topics/${topicId(0)}/stance-counts?${range}`;
  const base = { url: service.url, connections: 1, duration: seconds };
  await load({ ...base, duration: 2, paths: [path(TEN_YEARS)] });
  const decade = await load({ ...base, paths: [path(TEN_YEARS)] });
  const day = await load({ ...base, paths: [path(ONE_DAY)] });
  const queries = service.app.get(QueryBus);
  const times = await timesOf(50, () => queries.execute(new StanceCountsQuery(topicId(0), '2015-01-01', '2024-12-31')));
  log(`stance-counts: ten years p99 ${decade.p99} ms (in-process ${percentile(times, 99).toFixed(1)} ms), one day p99 ${day.p99} ms`);
  return [
    {
      name: 'stance-counts p99',
      value: decade.p99,
      unit: 'ms',
      baseline: null,
      baselineValue: null,
      ratio: null,
      target: '≤ 50 ms',
      notes: `${shape.actors} actors on the topic, 10 years by day over HTTP, 1 connection; in-process p99 ${percentile(times, 99).toFixed(1)} ms`,
    },
    {
      name: 'stance-counts 10 years',
      value: decade.p99,
      unit: 'ms',
      baseline: 'the same, 1 day',
      baselineValue: day.p99,
      ratio: Math.max(day.p99, 1) / Math.max(decade.p99, 1),
      target: 'ratio ≥ 0.33 (ten years ≤ 3 × one day)',
    },
  ];
}
