import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { MIN_SECRET_LENGTH, readOrCreateSecret } from './secret-file';

export const ROLES = ['reader', 'recorder', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** 12 hex digits of an HMAC of the key under the store's key-id secret: stable, and tells nothing of the key. */
  keyId: string;
}

/** Roles are ordered; each includes those before it. */
export const roleIncludes = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

export const recordedBy = (principal: Principal): string => `${principal.role}:${principal.keyId}`;

const sha256 = (key: string): Buffer => hash('sha256', Buffer.from(key, 'utf8'), 'buffer');

/** A key's id in `recordedBy`. Keyed, so that a weak key cannot be confirmed offline from the events anyone may read. */
export const keyIdOf = (key: string, keyIdSecret: string): string => createHmac('sha256', keyIdSecret).update(key, 'utf8').digest('hex').slice(0, 12);

/** The known keys, kept only as SHA-256 digests and compared in constant time. */
export class ApiKeys {
  private readonly keys: { digest: Buffer; principal: Principal }[];

  constructor(pairs: readonly { role: Role; key: string }[], keyIdSecret: string) {
    this.keys = pairs.map(({ role, key }) => ({ digest: sha256(key), principal: { role, keyId: keyIdOf(key, keyIdSecret) } }));
  }

  /** `role:key,role:key` as in `API_KEYS`: keys of at least 16 characters, without spaces, each listed once. */
  static parse(raw: string, keyIdSecret: string): ApiKeys {
    const pairs = raw.split(',').map((pair) => {
      const at = pair.indexOf(':');
      const role = pair.slice(0, at).trim() as Role;
      const key = pair.slice(at + 1).trim();
      if (at < 1 || !ROLES.includes(role) || key.length === 0) {
        throw new ConfigError(`API_KEYS must be comma-separated role:key pairs with roles ${ROLES.join(', ')}`);
      }
      if (key.length < MIN_SECRET_LENGTH) throw new ConfigError(`API_KEYS: the ${role} key is shorter than ${MIN_SECRET_LENGTH} characters`);
      if (/\s/.test(key)) throw new ConfigError(`API_KEYS: the ${role} key holds a space, which no Authorization header can carry`);
      return { role, key };
    });
    if (new Set(pairs.map((p) => p.key)).size !== pairs.length) throw new ConfigError('API_KEYS lists the same key twice: give each role its own key');
    return new ApiKeys(pairs, keyIdSecret);
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
  const { secret, created } = readOrCreateSecret(file, () => randomBytes(24).toString('base64url'));
  return { key: secret, file, created };
}

/** The secret keyIds are derived with: `KEY_ID_SECRET` when set (instances sharing a store), else `DATA_DIR/keyid.secret`. */
export function keyIdSecret(dataDir: string, configured: string | null): string {
  if (configured !== null) {
    if (configured.length < MIN_SECRET_LENGTH) throw new ConfigError(`KEY_ID_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    return configured;
  }
  return readOrCreateSecret(join(dataDir, 'keyid.secret'), () => randomBytes(32).toString('base64url')).secret;
}
