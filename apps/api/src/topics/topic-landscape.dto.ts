import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsDefined, IsOptional, Matches } from 'class-validator';
import { IsCalendarDate, IsPageCursor, IsTimeValue } from '../common/validators';
import { PositionQueryDto } from '../common/time-queries.dto';
import { StanceResponse } from '../common/responses.dto';
import { AlternativeResponse, OpennessResponse } from '../positions/positions.dto';

/** `?limit=&cursor=` of a page of a topic's actors (landscape, changes); query strings stay strings here. */
export class ActorPageQueryDto {
  @ApiPropertyOptional({
    example: '1000',
    description: 'At most this many entries, 1–1000, default 1000. A page also stops before its entries pass about 1 MB of JSON, and after 2,000 actors read (changes are sparse): follow `next`',
  })
  @IsOptional()
  @Matches(/^([1-9][0-9]{0,2}|1000)$/, { message: 'must be a whole number from 1 to 1000 written in decimal digits' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, unchanged (with the same topic and dates)' })
  @IsOptional()
  @IsPageCursor(2000)
  cursor?: string;
}

/** `?at=&knownAt=&limit=&cursor=` of a landscape. */
export class LandscapeQueryDto extends IntersectionType(PositionQueryDto, ActorPageQueryDto) {}

export class ChangesQueryDto extends ActorPageQueryDto {
  @ApiProperty({ example: '2025-02-19', description: 'The earlier date (a date means the end of that UTC day)' })
  @IsDefined()
  @IsTimeValue()
  from!: string;

  @ApiProperty({ example: '2025-02-27', description: 'The later date' })
  @IsDefined()
  @IsTimeValue()
  to!: string;

  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then; default: the latest record the service has taken in (the recordedAt of its last event), echoed in the answer' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;
}

export class StanceCountsQueryDto {
  @ApiProperty({ example: '2025-02-15', description: 'First day (YYYY-MM-DD)' })
  @IsDefined()
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2025-02-28', description: 'Last day (YYYY-MM-DD); at most 4000 days (about eleven years) in all, else 400' })
  @IsDefined()
  @IsCalendarDate()
  to!: string;

  @ApiPropertyOptional({ example: '365', description: 'At most this many days a page, 1–4000, default 4000 (the whole range). A page also stops before about 1 MB of JSON: follow `next`' })
  @IsOptional()
  @Matches(/^([1-9][0-9]{0,2}|[1-3][0-9]{3}|4000)$/, { message: 'must be a whole number from 1 to 4000 written in decimal digits' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, unchanged (with the same topic, from and to)' })
  @IsOptional()
  @IsPageCursor(2000)
  cursor?: string;
}

export class LandscapeEntryResponse extends OpennessResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: StanceResponse }) stance!: StanceResponse;
  @ApiProperty({ example: '2025-02-24' }) since!: string;
  @ApiProperty({ format: 'uuid' }) statementId!: string;
}

export class LandscapeResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() at!: string;
  @ApiProperty() knownAt!: string;
  @ApiProperty({ type: [LandscapeEntryResponse], description: 'Every actor with a known position, by actorId: this page of them' }) positions!: LandscapeEntryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) next!: string | null;
}

export class ChangeResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: StanceResponse, nullable: true, description: 'null: no position at from' }) before!: StanceResponse | null;
  @ApiProperty({ type: StanceResponse }) after!: StanceResponse;
  @ApiProperty({ enum: ['first', 'no-flip', 'half-flip', 'full-flop'] }) shift!: string;
  @ApiProperty({ enum: ['toward', 'away'], nullable: true }) direction!: string | null;
  @ApiProperty({ enum: ['certain', 'uncertain'], description: 'How certain the position at from is' }) beforeCertainty!: 'certain' | 'uncertain';
  @ApiProperty({ type: [AlternativeResponse], description: 'The other answers left open at from' }) beforeAlternatives!: AlternativeResponse[];
  @ApiProperty({ enum: ['certain', 'uncertain'], description: 'How certain the position at to is' }) afterCertainty!: 'certain' | 'uncertain';
  @ApiProperty({ type: [AlternativeResponse], description: 'The other answers left open at to' }) afterAlternatives!: AlternativeResponse[];
}

export class ChangesResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() knownAt!: string;
  @ApiProperty({ type: [ChangeResponse], description: 'By actorId: this page of them. A page may hold fewer than `limit` changes and still have a next' }) changes!: ChangeResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) next!: string | null;
}

export class StanceCountsDayResponse {
  @ApiProperty({ example: '2025-02-26' }) date!: string;
  @ApiProperty({ example: { tighten: 1, 'no-lifting': 1, 'not-yet': 1 }, description: 'Actors per stance code certainly held at the end of the day' })
  counts!: Record<string, number>;
}

export class StanceCountsResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [StanceCountsDayResponse], description: 'Day by day from from: this page of them' }) days!: StanceCountsDayResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page of days; null on the last page' }) next!: string | null;
}
