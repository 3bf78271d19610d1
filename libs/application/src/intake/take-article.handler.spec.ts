import { ArticleTooLongToRead } from '@positions/domain';
import { refusedIfTooLong } from './take-article.handler';
import { WorkerTimedOut } from './worker-task';

describe('a reading cut off', () => {
  it('is refused as too long to read (422), naming the field the article came in', async () => {
    const refusal = refusedIfTooLong('html', Promise.reject(new WorkerTimedOut()));
    await expect(refusal).rejects.toBeInstanceOf(ArticleTooLongToRead);
    await expect(refusal).rejects.toMatchObject({ kind: 'rule-broken', field: 'html', code: 'INTAKE.TOO_LONG_TO_READ', message: expect.stringContaining('20 s') });
  });

  it('passes other failures on as they are, and answers as the reading does', async () => {
    const failure = new Error('the worker crashed');
    await expect(refusedIfTooLong('text', Promise.reject(failure))).rejects.toBe(failure);
    await expect(refusedIfTooLong('text', Promise.resolve(['a']))).resolves.toEqual(['a']);
  });
});
