import type { DataSet } from '@positions/application';
import { canonicalJson, characterCount, isDate, isSlug, isStatedOn, MAX_URL_LENGTH, type Source, STATED_ON_FORMS, TEXT_BOUNDS } from '@positions/domain';
import isURL from 'validator/lib/isURL';
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** A statement as the API's `POST /api/statements` takes it (and a data set's `statements` hold it). */
export type StatementInput = NonNullable<DataSet['statements']>[number];

export interface FieldProblem {
  field: string;
  problem: string;
}

const SLUG = 'must be a slug (lowercase letters, digits and single hyphens, at most 64 characters)';

/**
 * The request-shape rules the API's DTOs apply before the domain sees a statement (400s), so that
 * an import refuses exactly what the API refuses, every problem of a row at once. The domain's
 * deciders then check the rest (and these again) in the dry run.
 */
export function statementShapeProblems(s: StatementInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (ok: boolean, field: string, problem: string) => ok || problems.push({ field, problem });
  const text = (value: string | undefined, max: number, field: string, required: boolean) =>
    value === undefined ? check(!required, field, 'is required') : check(isText(value, max), field, `must be a non-blank text of at most ${max} characters`);
  for (const field of ['actorId', 'topicId', 'stance'] as const) check(isSlug(s[field]), field, SLUG);
  if (s.onBehalfOf !== undefined) check(isSlug(s.onBehalfOf), 'onBehalfOf', SLUG);
  check(isStatedOn(s.statedOn), 'statedOn', `must be ${STATED_ON_FORMS}`);
  text(s.statedOnWording, TEXT_BOUNDS.statedOnWording, 'statedOnWording', false);
  text(s.summary, TEXT_BOUNDS.summary, 'summary', true);
  text(s.quote, TEXT_BOUNDS.quote, 'quote', false);
  sourceProblems(s.source, problems);
  return problems;
}

function sourceProblems(source: Source, problems: FieldProblem[]): void {
  const { url, title, publisher, publishedOn } = source;
  if (url === undefined && title === undefined) problems.push({ field: 'source', problem: 'a source needs at least a url or a title' });
  // The same test as the API's SourceDto (class-validator's IsUrl is validator's isURL, with these options), stricter than the domain's.
  // validator itself, not class-validator: the CSV reader's thread loads this file and should not pay for class-validator.
  if (url !== undefined && !(url.length <= MAX_URL_LENGTH && isURL(url, { protocols: ['http', 'https'], require_protocol: true, require_tld: false }))) {
    problems.push({ field: 'source.url', problem: `must be an http or https URL of at most ${MAX_URL_LENGTH} characters` });
  }
  for (const [field, value, max] of [['source.title', title, TEXT_BOUNDS.title], ['source.publisher', publisher, TEXT_BOUNDS.publisher]] as const) {
    if (value !== undefined && !isText(value, max)) problems.push({ field, problem: `must be a non-blank text of at most ${max} characters` });
  }
  if (publishedOn !== undefined && !isDate(publishedOn)) problems.push({ field: 'source.publishedOn', problem: 'must be a date (YYYY-MM-DD)' });
}

/** Non-blank, at most `max` characters counted as the API counts them (code points). */
const isText = (value: string, max: number) => value.trim().length > 0 && (value.length <= max || characterCount(value) <= max);

/**
 * A statement's identity for imports: its content, canonically serialised and hashed. Two rows
 * saying the same thing (same actor, topic, stance, words, date and its wording, and source) are one statement,
 * whatever file, line or store they came from (docs/decisions/0005-cli.md).
 */
export function statementFingerprint(s: StatementInput): string {
  return digest(canonicalStatement(s));
}

/** The same identity as 16 bytes (the start of the same SHA-256), for sets of a million rows (FingerprintSet). */
export function statementHash(s: StatementInput): Uint8Array {
  return sha256(canonicalStatement(s)).subarray(0, 16);
}

/** One-shot `crypto.hash` where Node has it (20.12 and later): no Hash object per row. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const sha256 = (text: string): Buffer => (oneShot ? oneShot('sha256', text, 'buffer') : createHash('sha256').update(text).digest());

const SOURCE_KEYS: ReadonlySet<string> = new Set(['publishedOn', 'publisher', 'title', 'url']);
const textOrAbsent = (value: unknown) => value === undefined || typeof value === 'string';

function plainSource(source: unknown): boolean {
  if (typeof source !== 'object' || source === null || Object.getPrototypeOf(source) !== Object.prototype) return false;
  for (const key of Object.keys(source)) if (!SOURCE_KEYS.has(key) || !textOrAbsent((source as Record<string, unknown>)[key])) return false;
  return true;
}

/**
 * `canonicalJson` of a statement's identity. A statement as the API takes it (text fields, a
 * source of url, title, publisher and publishedOn) is written out with its keys already in
 * order: the same text, without sorting every object of every row. Anything else (a field of
 * another type, another key in the source) goes through canonicalJson itself.
 */
export function canonicalStatement(s: StatementInput): string {
  const { actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf } = s;
  const plain =
    textOrAbsent(actorId) &&
    textOrAbsent(topicId) &&
    textOrAbsent(stance) &&
    textOrAbsent(summary) &&
    textOrAbsent(quote) &&
    textOrAbsent(statedOn) &&
    textOrAbsent(statedOnWording) &&
    textOrAbsent(onBehalfOf) &&
    plainSource(source);
  if (!plain) return canonicalJson({ actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf });
  const { publishedOn, publisher, title, url } = source;
  // Keys in code-unit order, as canonicalJson sorts them; JSON.stringify drops the undefined ones as it does
  // (so a statement without a wording keeps the fingerprint it had before wordings existed).
  return JSON.stringify({ actorId, onBehalfOf, quote, source: { publishedOn, publisher, title, url }, stance, statedOn, statedOnWording, summary, topicId });
}

/** 128 bits of SHA-256, base64url: short enough to keep one per row in memory. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
