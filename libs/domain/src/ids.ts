import { InvalidValue } from './errors';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_ID_LENGTH = 64;

/** Ids are slugs of at most 64 characters: `donald-trump`, `russia-sanctions-relief`. */
export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID_LENGTH && SLUG.test(value);
}

export function assertSlug(value: unknown, field: string): asserts value is string {
  if (!isSlug(value)) {
    throw new InvalidValue(`${field} must be a slug (lowercase letters, digits and single hyphens, at most ${MAX_ID_LENGTH} characters)`, field);
  }
}
