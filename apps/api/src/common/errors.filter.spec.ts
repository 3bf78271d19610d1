import { AppendOutcomeUnknownError, InvalidPositionError, StoreUnavailableError } from '@positions/event-store';
import { SearchAbandoned } from '@positions/projections';
import { WriteHealth } from '../health/write-health';
import { ErrorsFilter } from './errors.filter';

describe('ErrorsFilter: what the event store’s failures answer', () => {
  const filter = new ErrorsFilter(new WriteHealth());
  beforeAll(() => jest.spyOn((filter as unknown as { logger: { error: () => void } }).logger, 'error').mockImplementation(() => undefined));

  it('answers 400 on the after field for a position the store does not have', () => {
    expect(filter.toBody(new InvalidPositionError(1234))).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/^after 1234 is not a position of this store/),
      details: [{ field: 'after', problem: 'is not a position of this store' }],
    });
  });

  it('answers 503 without "nothing was written" when a write’s outcome is unknown, pointing at the Idempotency-Key', () => {
    const body = filter.toBody(new AppendOutcomeUnknownError('the append to stream s may have been written', false));
    expect(body.statusCode).toBe(503);
    expect(body.message).toMatch(/may have been recorded: retry with the same Idempotency-Key/);
    expect(body.message).not.toMatch(/nothing was written/);
    expect(filter.toBody(new StoreUnavailableError('down')).message).toMatch(/nothing was written/);
  });

  it('answers 499, logged as no error of the service, when the client went away before its search ran', () => {
    const logged = jest.spyOn((filter as unknown as { logger: { error: () => void } }).logger, 'error');
    logged.mockClear();
    expect(filter.toBody(new SearchAbandoned())).toMatchObject({ statusCode: 499, message: 'the client closed the request before its search ran' });
    expect(logged).not.toHaveBeenCalled();
  });
});
