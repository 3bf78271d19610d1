import { ApiError, readableError, retryAfterSeconds } from './api';

describe('web api: refusals in words', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.UTC(2025, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2025, 0, 1))).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });

  it('says what happened and what to do, never a framework exception name', () => {
    const busy = readableError(new ApiError(429, 'ThrottlerException: Too Many Requests', 60));
    expect(busy).toContain('busy');
    expect(busy).not.toContain('ThrottlerException');
    expect(readableError(new ApiError(503, 'store unavailable'))).toMatch(/failed to answer \(503\).*Retry/);
    expect(readableError(new TypeError('Failed to fetch'))).toContain('could not be reached');
  });
});
