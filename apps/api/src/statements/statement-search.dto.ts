import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsPageCursor, IsSlug, IsText, IsTimeValue } from '../common/validators';
import { StatementResponse } from './statements.dto';

export const DEFAULT_SEARCH_LIMIT = 50;

/** `GET /api/statements`: query strings stay strings; only plain decimal integers are numbers. */
export class StatementSearchQueryDto {
  @ApiPropertyOptional({ example: 'concessions "no sanctions" sanct*', description: 'Words, "a phrase", prefix*; case and accents ignored; over summary, quote, source title and publisher' })
  @IsOptional()
  @IsText(500)
  q?: string;

  @ApiPropertyOptional({ example: 'donald-trump' })
  @IsOptional()
  @IsSlug()
  actorId?: string;

  @ApiPropertyOptional({ example: 'russia-sanctions-relief' })
  @IsOptional()
  @IsSlug()
  topicId?: string;

  @ApiPropertyOptional({ example: '2025-02-01', description: "Keep statements whose range of days meets [from, to]" })
  @IsOptional()
  @IsTimeValue()
  from?: string;

  @ApiPropertyOptional({ example: '2025-02-28' })
  @IsOptional()
  @IsTimeValue()
  to?: string;

  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then: a date means the end of that UTC day; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also list statements retracted by knownAt (answered with retracted: true); default false' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  includeRetracted?: string;

  @ApiPropertyOptional({ example: '50', description: '1–200, default 50' })
  @IsOptional()
  @Matches(/^([1-9][0-9]?|1[0-9][0-9]|200)$/, { message: 'must be a whole number from 1 to 200 written in decimal digits' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, unchanged' })
  @IsOptional()
  @IsPageCursor(1000)
  cursor?: string;
}

export class StatementSearchResponse {
  @ApiProperty({ type: [StatementResponse], description: 'Best match first with q, else latest first' }) statements!: StatementResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) next!: string | null;
}
