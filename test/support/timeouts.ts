/**
 * Time limits of the tests that start processes (the CLI, the service, a browser), in one place.
 * They are sized for a busy 2-core machine shared with other builds, where one Node process that
 * loads Nest takes seconds to start, not for an idle laptop: a test that hangs still fails, later.
 * No test asserts how fast anything is.
 */

/** Each test that runs the CLI or talks to a service process: `jest.setTimeout(PROCESS_TEST_MS)`. */
export const PROCESS_TEST_MS = 120_000;

/** A beforeAll that compiles an app (compiledApp) or the web page before starting processes. */
export const BUILD_AND_START_MS = 300_000;

/** How long a started service process may take to answer /health. */
export const SERVICE_READY_MS = 60_000;
