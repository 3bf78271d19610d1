/*
 * The search view's name and tables. Kept apart, with no imports, so that the search thread's
 * module (`statement-search.thread.ts`) loads them without the domain.
 */
export const STATEMENT_SEARCH_VIEW = 'statement-search';
export const searchVersionsTable = (suffix: string): string => `search_versions${suffix}`;
export const searchTextTable = (suffix: string): string => `search_text${suffix}`;
/** The summary alone and the quote alone, for ranking (see `createTables` in statement-search.projection.ts). */
export const searchColumnTable = (column: 'summary' | 'quote', suffix: string): string => `search_${column}${suffix}`;
