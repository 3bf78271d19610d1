import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { isSlug, MAX_ID_LENGTH } from '@positions/domain';
import { errorBody } from './error-body';

/** A malformed id in the path is a 400 that names the parameter, never a 404. */
export class SlugPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (isSlug(value)) return value;
    const problem = `must be a slug (lowercase letters, digits and single hyphens, at most ${MAX_ID_LENGTH} characters)`;
    throw new BadRequestException(errorBody(400, `${this.name} ${problem}`, [{ field: this.name, problem }]));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statement ids are UUIDs: anything else in the path is a 400 that names the parameter. */
export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (UUID.test(value)) return value.toLowerCase();
    const problem = 'must be a UUID';
    throw new BadRequestException(errorBody(400, `${this.name} ${problem}`, [{ field: this.name, problem }]));
  }
}
