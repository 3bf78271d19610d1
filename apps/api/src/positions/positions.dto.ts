import { ApiProperty } from '@nestjs/swagger';
import { SourceDto } from '../statements/statements.dto';
import { StanceResponse } from '../common/responses.dto';

export class PositionStatementResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: '2025-02-26' }) statedOn!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) quote!: string | null;
  @ApiProperty({ type: SourceDto }) source!: SourceDto;
  @ApiProperty({ type: String, nullable: true, example: 'us-government' }) onBehalfOf!: string | null;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z', description: 'When the statement was recorded' }) recordedAt!: string;
}

export class PositionResponse {
  @ApiProperty({ example: 'donald-trump' }) actorId!: string;
  @ApiProperty({ example: 'russia-sanctions-relief' }) topicId!: string;
  @ApiProperty({ example: '2025-02-26' }) at!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) knownAt!: string;
  @ApiProperty({ type: StanceResponse, nullable: true, description: 'null: no known position' }) stance!: StanceResponse | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-02-26', description: 'Start of the unbroken run of statements with this stance' })
  since!: string | null;
  @ApiProperty({ type: PositionStatementResponse, nullable: true, description: 'The statement the answer rests on' })
  statement!: PositionStatementResponse | null;
}

export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: '2025-02-26' }) statedOn!: string;
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
