/**
 * `@positions/application/statement-shape`: the shape rules of a statement as the API takes it,
 * alone. The CLI's CSV reader thread loads only this (and the domain), not the application:
 * each import starts it twice. Everything here is also exported by `@positions/application`.
 */
export * from '../import/statement-input';
