import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional } from 'class-validator';
import { IsCalendarDate, IsTimeValue } from '../common/validators';
import { StanceResponse } from '../common/responses.dto';

export class ChangesQueryDto {
  @ApiProperty({ example: '2025-02-19', description: 'The earlier date (a date means the end of that UTC day)' })
  @IsDefined()
  @IsTimeValue()
  from!: string;

  @ApiProperty({ example: '2025-02-27', description: 'The later date' })
  @IsDefined()
  @IsTimeValue()
  to!: string;

  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;
}

export class StanceCountsQueryDto {
  @ApiProperty({ example: '2025-02-15', description: 'First day (YYYY-MM-DD)' })
  @IsDefined()
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2025-02-28', description: 'Last day (YYYY-MM-DD); at most 366 days in all' })
  @IsDefined()
  @IsCalendarDate()
  to!: string;
}

export class LandscapeEntryResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: StanceResponse }) stance!: StanceResponse;
  @ApiProperty({ example: '2025-02-24' }) since!: string;
  @ApiProperty({ format: 'uuid' }) statementId!: string;
}

export class LandscapeResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() at!: string;
  @ApiProperty() knownAt!: string;
  @ApiProperty({ type: [LandscapeEntryResponse], description: 'Every actor with a known position, by actorId' }) positions!: LandscapeEntryResponse[];
}

export class ChangeResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: StanceResponse, nullable: true, description: 'null: no position at from' }) before!: StanceResponse | null;
  @ApiProperty({ type: StanceResponse }) after!: StanceResponse;
  @ApiProperty({ enum: ['first', 'no-flip', 'half-flip', 'full-flop'] }) shift!: string;
  @ApiProperty({ enum: ['toward', 'away'], nullable: true }) direction!: string | null;
}

export class ChangesResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() knownAt!: string;
  @ApiProperty({ type: [ChangeResponse] }) changes!: ChangeResponse[];
}

export class StanceCountsDayResponse {
  @ApiProperty({ example: '2025-02-26' }) date!: string;
  @ApiProperty({ example: { tighten: 1, 'no-lifting': 1, 'not-yet': 1 }, description: 'Actors per stance code at the end of the day' })
  counts!: Record<string, number>;
}

export class StanceCountsResponse {
  @ApiProperty() topicId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [StanceCountsDayResponse] }) days!: StanceCountsDayResponse[];
}
