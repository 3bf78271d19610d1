/** What the load generator is asked to do, and what it answers: shared by both sides of the process boundary. */
export interface LoadSpec {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Paths (and bodies) picked at random, seeded. */
  paths: string[];
  bodies?: string[];
  /** Or whole requests picked at random (a mixed load). */
  mix?: { method: 'GET' | 'POST'; path: string; body?: string }[];
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  /** Latencies in ms, as seen by the client. */
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Non-2xx statuses and request errors, counted by kind. */
  statuses: Record<string, number>;
}
