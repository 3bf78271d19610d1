import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from './api-keys';

/**
 * `RATE_LIMIT` requests per minute per key, or per address for requests without one.
 * Runs after the key guard, which has identified the principal.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request.principal as Principal | undefined;
    return principal ? `key:${principal.keyId}` : `ip:${String(request.ip)}`;
  }
}
