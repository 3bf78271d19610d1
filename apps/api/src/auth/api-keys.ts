import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config';

export const ROLES = ['reader', 'recorder', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** First 12 hex digits of the key's SHA-256: stable, and reveals nothing of the key. */
  keyId: string;
}

/** Roles are ordered; each includes those before it. */
export const roleIncludes = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

export const recordedBy = (principal: Principal): string => `${principal.role}:${principal.keyId}`;

const sha256 = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** The known keys, kept only as SHA-256 digests and compared in constant time. */
export class ApiKeys {
  private readonly keys: { digest: Buffer; principal: Principal }[];

  constructor(pairs: readonly { role: Role; key: string }[]) {
    this.keys = pairs.map(({ role, key }) => {
      const digest = sha256(key);
      return { digest, principal: { role, keyId: digest.toString('hex').slice(0, 12) } };
    });
  }

  /** `role:key,role:key` as in `API_KEYS`. */
  static parse(raw: string): ApiKeys {
    const pairs = raw.split(',').map((pair) => {
      const at = pair.indexOf(':');
      const role = pair.slice(0, at).trim() as Role;
      const key = pair.slice(at + 1).trim();
      if (at < 1 || !ROLES.includes(role) || key.length === 0) {
        throw new ConfigError(`API_KEYS must be comma-separated role:key pairs with roles ${ROLES.join(', ')}`);
      }
      return { role, key };
    });
    return new ApiKeys(pairs);
  }

  identify(key: string): Principal | null {
    const digest = sha256(key);
    let found: Principal | null = null;
    // Every key is compared, whichever matches, so timing does not tell how far a guess got.
    for (const known of this.keys) if (timingSafeEqual(known.digest, digest)) found = known.principal;
    return found;
  }
}

/**
 * Without `API_KEYS`, one admin key kept in `DATA_DIR/admin.key` (mode 0600): created on the
 * first start, read back on the next ones, so a restart does not lock the operator out.
 */
export function adminKeyFile(dataDir: string): { key: string; file: string; created: boolean } {
  const file = join(dataDir, 'admin.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), file, created: false };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, file, created: true };
}
