import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { MAX_ARTICLE_CHARACTERS, TEXT_BOUNDS } from '@positions/domain';
import { IsCalendarDate, IsOptionalNotNull, IsSlug, IsText } from '../common/validators';
import { RecordStatementDto, SourceDto } from '../statements/statements.dto';

/** The source's url, title and publisher as a statement's source takes them, at the top level of the body. */
export class TakeArticleDto extends PickType(SourceDto, ['url', 'title', 'publisher'] as const) {
  @ApiPropertyOptional({ description: "The article's text (give text or html, not both)", maxLength: MAX_ARTICLE_CHARACTERS })
  @IsOptionalNotNull()
  @IsText(MAX_ARTICLE_CHARACTERS)
  text?: string;

  @ApiPropertyOptional({ description: "The article's web page: its text is taken out with Readability; scripts are never run nor kept", maxLength: MAX_ARTICLE_CHARACTERS })
  @IsOptionalNotNull()
  @IsText(MAX_ARTICLE_CHARACTERS)
  html?: string;

  @ApiProperty({ example: '2025-02-26', description: 'YYYY-MM-DD; dates the article gives ("last week") are resolved against it; not after today (422)' })
  @IsCalendarDate()
  publishedOn!: string;

  @ApiPropertyOptional({ example: 'russia-sanctions-relief', description: 'The topic every candidate is about; without it each gets the best-matching one' })
  @IsOptionalNotNull()
  @IsSlug()
  topicId?: string;
}

/** Any field of `POST /api/statements`, to record instead of what the candidate suggests (null is refused, as there). */
export class AcceptCandidateDto extends PartialType(RecordStatementDto, { skipNullProperties: false }) {}

export class RejectCandidateDto {
  @ApiProperty({ example: 'not about sanctions', maxLength: TEXT_BOUNDS.reason })
  @IsText(TEXT_BOUNDS.reason)
  reason!: string;
}

export class CandidateSpeakerResponse {
  @ApiProperty({ type: String, nullable: true, example: 'marco-rubio', description: 'null where no registered actor matches' }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Marco Rubio', description: 'The name as the article gives it; null where nobody is named' }) name!: string | null;
  @ApiProperty({ type: [Number], nullable: true, example: [815, 817], description: 'Where the article names the speaker ([start, end) in the text)' }) span!: [number, number] | null;
}

export class CandidateResponse {
  @ApiProperty({ example: 'c3' }) candidateId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'there has to be concessions made by all sides', description: 'null for reported speech' }) quote!: string | null;
  @ApiProperty({ type: [Number], example: [876, 921], description: 'The quote (or the reported words): [start, end) in the text' }) quoteSpan!: [number, number];
  @ApiProperty({ type: CandidateSpeakerResponse }) speaker!: CandidateSpeakerResponse;
  @ApiProperty({ example: '2025-02-17/2025-02-23', description: 'EDTF, resolved against publishedOn; publishedOn where the article gives no date' }) statedOn!: string;
  @ApiProperty({ type: String, nullable: true, example: 'last week' }) statedOnWording!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'russia-sanctions-relief' }) topicId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'concessions-needed', description: 'A code of the topic’s codebook; null below the confidence threshold' }) stance!: string | null;
  @ApiProperty({ example: 0.87, minimum: 0, maximum: 1 }) stanceConfidence!: number;
  @ApiProperty({ type: [String], example: ['concessions', 'sides'], description: 'The words that led to the stance' }) cues!: string[];
}

export class IntakeSourceResponse extends SourceDto {
  @ApiProperty({ example: '2025-02-26' }) declare publishedOn: string;
}

export class IntakeDraftTakenResponse {
  @ApiProperty({ format: 'uuid' }) draftId!: string;
  @ApiProperty({ type: IntakeSourceResponse }) source!: IntakeSourceResponse;
  @ApiProperty({ type: [CandidateResponse] }) candidates!: CandidateResponse[];
}

export class DraftCandidateResponse extends CandidateResponse {
  @ApiProperty({ enum: ['open', 'accepted', 'rejected'] }) state!: 'open' | 'accepted' | 'rejected';
  @ApiPropertyOptional({ format: 'uuid', description: 'The statement recorded, once accepted' }) statementId?: string;
  @ApiPropertyOptional({ description: 'Why it was rejected' }) reason?: string;
}

export class IntakeDraftResponse {
  @ApiProperty({ format: 'uuid' }) draftId!: string;
  @ApiProperty({ description: 'The article text the spans point into (taken out of the HTML where HTML was sent)' }) text!: string;
  @ApiProperty({ type: IntakeSourceResponse }) source!: IntakeSourceResponse;
  @ApiProperty({ type: String, nullable: true }) topicId!: string | null;
  @ApiProperty({ type: [DraftCandidateResponse] }) candidates!: DraftCandidateResponse[];
}

export class CandidateRejectedResponse {
  @ApiProperty({ format: 'uuid' }) draftId!: string;
  @ApiProperty({ example: 'c2' }) candidateId!: string;
  @ApiProperty({ enum: ['rejected'] }) state!: 'rejected';
  @ApiProperty() reason!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({ example: 43 }) position!: number;
}
