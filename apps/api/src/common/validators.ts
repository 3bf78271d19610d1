import { characterCount, isDate, isSlug, isStatedOn, isTimeValue, MAX_ID_LENGTH, STATED_ON_FORMS } from '@positions/domain';
import { applyDecorators } from '@nestjs/common';
import { Matches, MaxLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/** Validators that apply the domain's own definitions, so the API and the domain agree. */
export const IsSlug = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isSlug',
      validator: {
        validate: (value: unknown) => isSlug(value),
        defaultMessage: () => `must be a slug (lowercase letters, digits and single hyphens, at most ${MAX_ID_LENGTH} characters)`,
      },
    },
    options,
  );

export const IsTimeValue = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isTimeValue',
      validator: {
        validate: (value: unknown) => isTimeValue(value),
        defaultMessage: () => 'must be a date (YYYY-MM-DD) or a date-time with seconds and an offset (2025-02-26T14:30:00Z)',
      },
    },
    options,
  );

/** `statedOn` in every form the domain accepts (EDTF level 1 days, months, years, intervals, qualifiers; date-times). */
export const IsStatedOn = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isStatedOn',
      validator: {
        validate: (value: unknown) => isStatedOn(value),
        defaultMessage: () => `must be ${STATED_ON_FORMS}`,
      },
    },
    options,
  );

export const IsCalendarDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isDate(value),
        defaultMessage: () => 'must be a date (YYYY-MM-DD)',
      },
    },
    options,
  );

/** Non-blank text of 1..max characters (code points, as the domain counts them). */
export const IsText = (max: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 && characterCount(value) <= max,
        defaultMessage: () => `must be a non-blank text of at most ${max} characters`,
      },
    },
    options,
  );

/**
 * Optional, but not null: an absent field is skipped, while `null` is checked like any other
 * value, and refused with the field's own message (class-validator's IsOptional lets null through).
 */
export const IsOptionalNotNull = (options?: ValidationOptions) => ValidateIf((_object: object, value: unknown) => value !== undefined, options);

/**
 * A page's `cursor`: the `next` an answer gave, which is base64url, no longer than `max`. What it
 * says is checked by the query that decodes it; anything else is refused here.
 */
export const IsPageCursor = (max: number) => applyDecorators(MaxLength(max), Matches(/^[A-Za-z0-9_-]+$/, { message: 'must be the `next` of the previous page, unchanged' }));
