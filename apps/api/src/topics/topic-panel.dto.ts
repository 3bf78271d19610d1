import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PANEL_STEPS, type PanelStep } from '@positions/application';
import { IsDefined, IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate, IsTimeValue } from '../common/validators';

export const PANEL_FORMATS = ['csv', 'json'] as const;

export class TopicPanelQueryDto {
  @ApiProperty({ example: '2015-01-01', description: 'First day (YYYY-MM-DD): the panel starts with the period holding it' })
  @IsDefined()
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2025-12-31', description: 'Last day (YYYY-MM-DD): the panel ends with the period holding it' })
  @IsDefined()
  @IsCalendarDate()
  to!: string;

  @ApiPropertyOptional({ enum: PANEL_STEPS, description: 'day, week (ISO weeks, labelled 2025-W09), month (2025-02) or year; default month' })
  @IsOptional()
  @IsIn(PANEL_STEPS, { message: `must be one of ${PANEL_STEPS.join(', ')}` })
  step?: PanelStep;

  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;

  @ApiPropertyOptional({ enum: PANEL_FORMATS, description: 'csv (default: RFC 4180, a header row, as an attachment) or json' })
  @IsOptional()
  @IsIn(PANEL_FORMATS, { message: 'must be csv or json' })
  format?: (typeof PANEL_FORMATS)[number];
}

/** One row of a panel (a CSV line or an element of the JSON answer's `rows`). */
export class PanelRowResponse {
  @ApiProperty({ example: 'donald-trump' }) actorId!: string;
  @ApiProperty({ example: '2025-02', description: '2025-02-26 (day), 2025-W09 (ISO week), 2025-02 (month) or 2025 (year)' }) period!: string;
  @ApiProperty({ type: String, nullable: true, example: 'not-yet', description: 'The stance code at the end of the period; empty (null) with no known position' }) stance!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 0 }) score!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'certain' }) certainty!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The statement that decides the position' }) statementId!: string | null;
}
