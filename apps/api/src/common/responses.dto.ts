import { ApiProperty } from '@nestjs/swagger';
import { MAX_SCORE, MIN_SCORE } from '@positions/domain';

/** A stance as every answer shows it: `{code, label, score}`. */
export class StanceResponse {
  @ApiProperty({ example: 'not-yet' }) code!: string;
  @ApiProperty({ example: 'Nothing lifted for now; may be lifted at some point' }) label!: string;
  @ApiProperty({ example: 0, minimum: MIN_SCORE, maximum: MAX_SCORE }) score!: number;
}

/** A stored event with its envelope (docs/domain.md, "Streams and events"). */
export class EnvelopeResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'PositionStated' }) type!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ example: 'position-donald-trump.russia-sanctions-relief' }) streamId!: string;
  @ApiProperty({ example: 0, description: '0-based within the stream' }) streamPosition!: number;
  @ApiProperty({ example: 20, description: 'Global, strictly increasing, not necessarily contiguous' }) position!: number;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({ example: 'recorder:3f2a9c01b7de', description: '{role}:{keyId}, cli:{user} or system:demo; never a key' }) recordedBy!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}
