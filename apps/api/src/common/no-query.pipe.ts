import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { errorBody } from './error-body';

/** For routes that take no query parameters: any parameter is refused, never ignored. */
export class NoQueryPipe implements PipeTransform<Record<string, unknown>, Record<string, unknown>> {
  transform(query: Record<string, unknown>): Record<string, unknown> {
    const names = Object.keys(query ?? {});
    if (names.length === 0) return query;
    const details = names.map((field) => ({ field, problem: 'this route takes no query parameters' }));
    throw new BadRequestException(errorBody(400, `unknown query parameter${names.length > 1 ? 's' : ''}: ${names.join(', ')}`, details));
  }
}
