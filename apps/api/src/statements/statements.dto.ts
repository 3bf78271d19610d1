import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_URL_LENGTH, TEXT_BOUNDS } from '@positions/domain';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, IsUrl, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsSlug, IsStatedOn, IsText, IsOptionalNotNull } from '../common/validators';
import { EnvelopeResponse, StanceResponse } from '../common/responses.dto';

const STATED_ON_DESCRIPTION =
  'When it was said, as precisely as the source says: a day (2025-02-18), a date-time with seconds and an offset, a month (2025-02), a year (2025), ' +
  'an interval of days, months or years (2025-02-17/2025-02-23), optionally qualified ~ (approximate), ? (uncertain) or % (both); EDTF level 1. ' +
  'It may not begin after the moment of recording (422)';

export class SourceDto {
  @ApiPropertyOptional({ example: 'https://example.org/news/2025-02-26-sanctions', maxLength: MAX_URL_LENGTH, description: 'http or https; a source needs a url or a title' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http or https URL' })
  url?: string;

  @ApiPropertyOptional({ example: 'News report on US statements about Russia sanctions', maxLength: TEXT_BOUNDS.title })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.title)
  title?: string;

  @ApiPropertyOptional({ example: 'Example News', maxLength: TEXT_BOUNDS.publisher })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.publisher)
  publisher?: string;

  @ApiPropertyOptional({ example: '2025-02-26', description: 'YYYY-MM-DD' })
  @IsOptionalNotNull()
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
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.quote)
  quote?: string;

  @ApiProperty({ example: '2025-02-17/2025-02-23', description: STATED_ON_DESCRIPTION })
  @IsStatedOn()
  statedOn!: string;

  @ApiPropertyOptional({ example: 'last week', maxLength: TEXT_BOUNDS.statedOnWording, description: "The source's own words for when it was said" })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.statedOnWording)
  statedOnWording?: string;

  @ApiProperty({ type: SourceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @ApiPropertyOptional({ example: 'us-government', description: 'An organization the speaker is affiliated with on statedOn' })
  @IsOptionalNotNull()
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

/** What a correction may change; at least one field, each checked as when recording. */
export class StatementChangesDto {
  @ApiPropertyOptional({ example: 'not-yet' })
  @IsOptionalNotNull()
  @IsSlug()
  stance?: string;

  @ApiPropertyOptional({ maxLength: TEXT_BOUNDS.summary })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.summary)
  summary?: string;

  @ApiPropertyOptional({ maxLength: TEXT_BOUNDS.quote })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.quote)
  quote?: string;

  @ApiPropertyOptional({ example: '2025-02-19', description: STATED_ON_DESCRIPTION })
  @IsOptionalNotNull()
  @IsStatedOn()
  statedOn?: string;

  @ApiPropertyOptional({ example: 'earlier this week', maxLength: TEXT_BOUNDS.statedOnWording })
  @IsOptionalNotNull()
  @IsText(TEXT_BOUNDS.statedOnWording)
  statedOnWording?: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'Replaces the whole source' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  @ApiPropertyOptional({ example: 'us-government' })
  @IsOptionalNotNull()
  @IsSlug()
  onBehalfOf?: string;
}

export class CorrectStatementDto {
  @ApiProperty({ type: StatementChangesDto, description: 'Never actor or topic: a misattribution is a retraction plus a new statement' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => StatementChangesDto)
  changes!: StatementChangesDto;

  @ApiProperty({ example: 'The report dated the remark a week too late', maxLength: TEXT_BOUNDS.reason })
  @IsText(TEXT_BOUNDS.reason)
  reason!: string;
}

export class RetractStatementDto {
  @ApiProperty({ example: 'Misattributed: the remark was made by another official', maxLength: TEXT_BOUNDS.reason })
  @IsText(TEXT_BOUNDS.reason)
  reason!: string;
}

export class StatementAmendedResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({ example: 43, description: 'Global position of the event written' }) position!: number;
}

export class IntakeProvenanceResponse {
  @ApiProperty({ format: 'uuid' }) draftId!: string;
  @ApiProperty({ example: 'c1' }) candidateId!: string;
  @ApiProperty({ type: [Number], example: [412, 468], description: '[start, end) in the draft text' }) quoteSpan!: [number, number];
}

export class StatementResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() topicId!: string;
  @ApiProperty({ type: StanceResponse, nullable: true }) stance!: StanceResponse | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) quote!: string | null;
  @ApiProperty({ example: '2025-02-17/2025-02-23' }) statedOn!: string;
  @ApiProperty({ type: String, nullable: true, example: 'last week' }) statedOnWording!: string | null;
  @ApiProperty({ example: '2025-02-17T00:00:00.000Z', description: 'Start of the first day it may have been said on (or its instant)' }) earliest!: string;
  @ApiProperty({ example: '2025-02-23T00:00:00.000Z', description: 'Start of the last day it may have been said on, clipped at its recording' }) latest!: string;
  @ApiProperty({ type: SourceDto }) source!: SourceDto;
  @ApiProperty({ type: String, nullable: true }) onBehalfOf!: string | null;
  @ApiPropertyOptional({ type: IntakeProvenanceResponse, description: 'Only on statements recorded from an intake candidate: the draft, the candidate and the span of its words' })
  intake?: IntakeProvenanceResponse;
  @ApiProperty() retracted!: boolean;
  @ApiProperty({ description: 'When the statement was first recorded' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'When the last correction applied was recorded' }) correctedAt!: string | null;
}

export class StatementHistoryResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ type: [EnvelopeResponse] }) events!: EnvelopeResponse[];
}
