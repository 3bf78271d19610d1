import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { EnvelopeResponse } from '../common/responses.dto';

/** Query strings stay strings here: only plain decimal integers are numbers (`1e3` is refused). */
export class EventsQueryDto {
  @ApiPropertyOptional({ example: '0', description: 'Only events with a global position greater than this; default: from the start' })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,15})$/, { message: 'must be a whole number written in decimal digits' })
  after?: string;

  @ApiPropertyOptional({ example: '100', description: '1–1000, default 100' })
  @IsOptional()
  @Matches(/^([1-9][0-9]{0,2}|1000)$/, { message: 'must be a whole number from 1 to 1000 written in decimal digits' })
  limit?: string;

  @ApiPropertyOptional({ example: 'PositionStated,StatementCorrected', description: 'Only these event types (comma-separated)' })
  @IsOptional()
  @Matches(/^[A-Z][A-Za-z0-9]{0,99}(,[A-Z][A-Za-z0-9]{0,99}){0,19}$/, { message: 'must be event type names, comma-separated' })
  type?: string;

  @ApiPropertyOptional({ example: 'position-donald-trump.russia-sanctions-relief', description: 'Only this stream' })
  @IsOptional()
  @MaxLength(200)
  @Matches(/^[a-z0-9.-]+$/, { message: 'must be a stream id such as actor-donald-trump' })
  streamId?: string;
}

export class EventsPageResponse {
  @ApiProperty({ type: [EnvelopeResponse] }) events!: EnvelopeResponse[];
  @ApiProperty({ type: Number, nullable: true, description: 'The `after` of the next page; null at the end of the log' }) next!: number | null;
}
