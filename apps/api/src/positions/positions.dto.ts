import { ApiProperty } from '@nestjs/swagger';
import { SourceDto } from '../statements/statements.dto';
import { StanceResponse } from '../common/responses.dto';

export class AlternativeResponse {
  @ApiProperty({ type: StanceResponse, nullable: true, description: 'Another stance the sources leave open; null: no position' }) stance!: StanceResponse | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The latest statement possibly giving it' }) statementId!: string | null;
}

const CERTAINTY_DESCRIPTION = 'uncertain: a statement possibly made by then (its range of dates reaches past at) would give another answer';

/** `certainty` and `alternatives`, as every position answer carries them. */
export class OpennessResponse {
  @ApiProperty({ enum: ['certain', 'uncertain'], description: CERTAINTY_DESCRIPTION }) certainty!: 'certain' | 'uncertain';
  @ApiProperty({ type: [AlternativeResponse], description: 'One entry per other answer left open, no position first, then by score and code' })
  alternatives!: AlternativeResponse[];
}

export class PositionStatementResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: '2025-02-26' }) statedOn!: string;
  @ApiProperty({ type: String, nullable: true, example: 'last week' }) statedOnWording!: string | null;
  @ApiProperty({ example: '2025-02-26T00:00:00.000Z', description: 'Start of the first day it may have been said on (or its instant)' }) earliest!: string;
  @ApiProperty({ example: '2025-02-26T00:00:00.000Z', description: 'Start of the last day it may have been said on, clipped at its recording' }) latest!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) quote!: string | null;
  @ApiProperty({ type: SourceDto }) source!: SourceDto;
  @ApiProperty({ type: String, nullable: true, example: 'us-government' }) onBehalfOf!: string | null;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z', description: 'When the statement was recorded' }) recordedAt!: string;
}

export class PositionResponse extends OpennessResponse {
  @ApiProperty({ example: 'donald-trump' }) actorId!: string;
  @ApiProperty({ example: 'russia-sanctions-relief' }) topicId!: string;
  @ApiProperty({ example: '2025-02-26' }) at!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) knownAt!: string;
  @ApiProperty({ type: StanceResponse, nullable: true, description: 'What was certainly said by at; null: no known position' }) stance!: StanceResponse | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-02-26', description: 'statedOn of the first of the unbroken run of statements with this stance' })
  since!: string | null;
  @ApiProperty({ type: PositionStatementResponse, nullable: true, description: 'The statement the answer rests on' })
  statement!: PositionStatementResponse | null;
}

export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: '2025-02-26' }) statedOn!: string;
  @ApiProperty({ example: '2025-02-26T00:00:00.000Z', description: 'Entries come by earliest, then latest, then record order' }) earliest!: string;
  @ApiProperty({ example: '2025-02-26T00:00:00.000Z' }) latest!: string;
  @ApiProperty({ type: StanceResponse, nullable: true }) stance!: StanceResponse | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ enum: ['first', 'no-flip', 'half-flip', 'full-flop'] }) shift!: string;
  @ApiProperty({ enum: ['toward', 'away'], nullable: true, description: 'toward: the score went up (more for the proposition)' }) direction!: string | null;
}

export class TimelineResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty() topicId!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z', description: 'As given, or now' }) knownAt!: string;
  @ApiProperty({ type: [TimelineEntryResponse] }) entries!: TimelineEntryResponse[];
}
