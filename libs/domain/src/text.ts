import { InvalidValue } from './errors';

/** Text bounds (docs/api.md, "Errors"), enforced again here so every way in (API, CLI, import) keeps them. */
export const TEXT_BOUNDS = {
  name: 200,
  title: 200,
  label: 200,
  role: 200,
  publisher: 200,
  alias: 200,
  proposition: 500,
  summary: 2000,
  quote: 5000,
  reason: 2000,
  statedOnWording: 200,
} as const;

export type BoundedField = keyof typeof TEXT_BOUNDS;

/** Characters as people count them: Unicode code points, so an emoji is one, not two UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

export function assertText(value: unknown, bound: BoundedField, field: string = bound): asserts value is string {
  const max = TEXT_BOUNDS[bound];
  if (typeof value !== 'string' || value.trim().length === 0 || (value.length > max && characterCount(value) > max)) {
    throw new InvalidValue(`${field} must be a non-blank text of at most ${max} characters`, field);
  }
}
