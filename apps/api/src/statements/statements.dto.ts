import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_URL_LENGTH, TEXT_BOUNDS } from '@positions/domain';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsString, IsUrl, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsSlug, IsText, IsTimeValue } from '../common/validators';

export class SourceDto {
  @ApiPropertyOptional({ example: 'https://example.org/news/2025-02-26-sanctions', maxLength: MAX_URL_LENGTH, description: 'http or https; a source needs a url or a title' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http or https URL' })
  url?: string;

  @ApiPropertyOptional({ example: 'News report on US statements about Russia sanctions', maxLength: TEXT_BOUNDS.title })
  @IsOptional()
  @IsText(TEXT_BOUNDS.title)
  title?: string;

  @ApiPropertyOptional({ example: 'Example News', maxLength: TEXT_BOUNDS.publisher })
  @IsOptional()
  @IsText(TEXT_BOUNDS.publisher)
  publisher?: string;

  @ApiPropertyOptional({ example: '2025-02-26', description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  publishedOn?: string;
}

export class RecordStatementDto {
  @ApiProperty({ example: 'donald-trump' })
  @IsSlug()
  actorId!: string;

  @ApiProperty({ example: 'russia-sanctions-relief' })
  @IsSlug()
  topicId!: string;

  @ApiProperty({ example: 'not-yet', description: "A stance code of the topic's codebook" })
  @IsSlug()
  stance!: string;

  @ApiProperty({ example: 'No sanctions lifted on anybody; expects it at some point, but nothing agreed', maxLength: TEXT_BOUNDS.summary })
  @IsText(TEXT_BOUNDS.summary)
  summary!: string;

  @ApiPropertyOptional({ example: "No, we haven't lifted any sanctions on anybody", maxLength: TEXT_BOUNDS.quote })
  @IsOptional()
  @IsText(TEXT_BOUNDS.quote)
  quote?: string;

  @ApiProperty({ example: '2025-02-26', description: 'When it was said: a date (YYYY-MM-DD) or a date-time with seconds and an offset; not in the future' })
  @IsTimeValue()
  statedOn!: string;

  @ApiProperty({ type: SourceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @ApiPropertyOptional({ example: 'us-government', description: 'An organization the speaker is affiliated with on statedOn' })
  @IsOptional()
  @IsSlug()
  onBehalfOf?: string;
}

export class StatementRecordedResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: 'donald-trump' }) actorId!: string;
  @ApiProperty({ example: 'russia-sanctions-relief' }) topicId!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({ example: 42, description: 'Global position of the last event written' }) position!: number;
}
