import type { ActorInput, AffiliationInput, FieldProblem, StatementInput, TopicInput } from '@positions/application';
import { readFileSync } from 'node:fs';

export interface Entry<T> {
  /** The line the entry starts on in the file. */
  line: number;
  /** `statements[3]`: how problems name it. */
  path: string;
  value: T;
}

export interface DataSetEntries {
  actors: Entry<ActorInput>[];
  affiliations: Entry<{ actorId: string } & AffiliationInput>[];
  topics: Entry<TopicInput>[];
  statements: Entry<StatementInput>[];
  /** Entries (or sections) left out for their shape. */
  invalid: number;
}

type Kind = 'string' | 'boolean' | 'number' | 'strings' | 'source' | 'stances';
type Shape = Readonly<Record<string, { kind: Kind; required: boolean }>>;
const req = (kind: Kind) => ({ kind, required: true });
const opt = (kind: Kind) => ({ kind, required: false });

/** The API's request bodies (the request bodies in /docs), one per section; unknown fields are refused, as the API refuses them. */
type Section = Exclude<keyof DataSetEntries, 'invalid'>;
const SHAPES: Readonly<Record<Section, Shape>> = {
  actors: { id: req('string'), name: req('string'), kind: req('string'), aliases: opt('strings'), wikidataId: opt('string') },
  affiliations: { actorId: req('string'), organizationId: req('string'), role: req('string'), from: req('string'), until: opt('string'), speaksFor: opt('boolean') },
  topics: { id: req('string'), title: req('string'), proposition: req('string'), stances: req('stances') },
  statements: { actorId: req('string'), topicId: req('string'), stance: req('string'), summary: req('string'), quote: opt('string'), statedOn: req('string'), statedOnWording: opt('string'), source: req('source'), onBehalfOf: opt('string') },
};
const SOURCE: Shape = { url: opt('string'), title: opt('string'), publisher: opt('string'), publishedOn: opt('string') };
const STANCE: Shape = { code: req('string'), label: req('string'), score: req('number') };
const SECTIONS = Object.keys(SHAPES) as Section[];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A data set file (samples/sanctions-2025-02-26.json): read whole, as data sets are articles'
 * worth of records (large imports are CSV, streamed). Entries of the wrong shape are reported with
 * their line and left out; the rest are returned in the order the loader writes them.
 */
export function readDataSet(file: string, report: (line: number, problem: FieldProblem) => void): DataSetEntries {
  const entries: DataSetEntries = { actors: [], affiliations: [], topics: [], statements: [], invalid: 0 };
  const refuse = (line: number, problem: FieldProblem) => {
    report(line, problem);
    entries.invalid++;
  };
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    refuse(1, { field: '(file)', problem: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return entries;
  }
  if (!isObject(json)) {
    refuse(1, { field: '(file)', problem: 'must be a JSON object with actors, affiliations, topics and statements' });
    return entries;
  }
  for (const key of Object.keys(json)) if (key !== 'about' && !(SECTIONS as string[]).includes(key)) refuse(1, { field: key, problem: `is not a section of a data set (${SECTIONS.join(', ')})` });
  const lines = elementLines(text);
  for (const section of SECTIONS) {
    const list = json[section] ?? [];
    if (!Array.isArray(list)) refuse(1, { field: section, problem: 'must be an array' });
    else list.forEach((value: unknown, i) => collect(entries, section, value, { line: lines.get(section)?.[i] ?? 1, path: `${section}[${i}]` }, report));
  }
  return entries;
}

function collect(entries: DataSetEntries, section: Section, value: unknown, at: { line: number; path: string }, report: (line: number, problem: FieldProblem) => void): void {
  const problems = shapeProblems(value, SHAPES[section], '');
  problems.forEach((p) => report(at.line, { field: `${at.path}${p.field ? `.${p.field}` : ''}`, problem: p.problem }));
  if (problems.length) {
    entries.invalid++;
    return;
  }
  const json = value as Json;
  // Defaults as DataSetLoader fills them.
  if (section === 'actors') entries.actors.push({ ...at, value: { ...(json as unknown as ActorInput), aliases: (json.aliases as string[] | undefined) ?? [] } });
  if (section === 'affiliations') entries.affiliations.push({ ...at, value: { ...(json as unknown as AffiliationInput & { actorId: string }), speaksFor: json.speaksFor === true } });
  if (section === 'topics') entries.topics.push({ ...at, value: json as unknown as TopicInput });
  if (section === 'statements') entries.statements.push({ ...at, value: json as unknown as StatementInput });
}

function shapeProblems(value: unknown, shape: Shape, prefix: string): FieldProblem[] {
  if (!isObject(value)) return [{ field: prefix.replace(/\.$/, ''), problem: 'must be a JSON object' }];
  const problems: FieldProblem[] = Object.keys(value).filter((k) => !(k in shape)).map((k) => ({ field: `${prefix}${k}`, problem: 'is not a field of this entry' }));
  for (const [field, { kind, required }] of Object.entries(shape)) {
    const v = value[field];
    if (v === undefined) {
      if (required) problems.push({ field: `${prefix}${field}`, problem: 'is required' });
    } else problems.push(...kindProblems(v, kind, `${prefix}${field}`));
  }
  return problems;
}

function kindProblems(value: unknown, kind: Kind, field: string): FieldProblem[] {
  if (kind === 'source') return shapeProblems(value, SOURCE, `${field}.`);
  if (kind === 'stances') {
    if (!Array.isArray(value)) return [{ field, problem: 'must be an array of {code, label, score}' }];
    return value.flatMap((stance: unknown, i) => shapeProblems(stance, STANCE, `${field}[${i}].`));
  }
  const ok = kind === 'strings' ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === kind;
  return ok ? [] : [{ field, problem: `must be ${kind === 'strings' ? 'an array of strings' : `a ${kind}`}` }];
}

/**
 * The line each element of each top-level array starts on, found by scanning the text (JSON.parse
 * keeps no positions), so that problems point at the line to edit.
 */
export function elementLines(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  let line = 1;
  let depth = 0;
  let key = '';
  let current: number[] | null = null;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '\n' || ch === ' ' || ch === '\t' || ch === '\r') continue;
    if (depth === 2 && expecting && current && ch !== ']') {
      current.push(line);
      expecting = false;
    }
    if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1) key = text.slice(i + 1, end);
      i = end;
    } else if (ch === '{' || ch === '[') {
      depth++;
      if (depth === 2 && ch === '[') lines.set(key, (current = []));
      expecting = depth === 2;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth < 2) current = null;
    } else if (ch === ',' && depth === 2) expecting = true;
  }
  return lines;
}
