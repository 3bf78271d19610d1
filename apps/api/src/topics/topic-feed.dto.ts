import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsPageCursor, IsTimeValue } from '../common/validators';
import { ActorResponse } from '../actors/actors.dto';
import { TopicResponse } from './topics.dto';

export class TopicFeedQueryDto {
  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then: a date means the end of that UTC day; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also the events of statements retracted by knownAt (timelines leave them out either way); default false' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  includeRetracted?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, unchanged' })
  @IsOptional()
  @IsPageCursor(2000)
  cursor?: string;
}

export class FeedActorResponse {
  @ApiProperty({ example: 'donald-trump' }) actorId!: string;
  @ApiProperty({ description: 'What GET /api/actors/{actorId}/positions/{topicId}/timeline answers: live statements in statedOn order, with shift and direction' })
  timeline!: object;
  @ApiProperty({ description: "The actor–topic stream's events (envelopes) recorded by knownAt: statements, corrections and retractions — the moments the record of the topic changed", type: [Object] })
  events!: object[];
  @ApiProperty({ description: 'The ranges (earliest, latest) of the retracted statements among the events, which no timeline lists; empty without includeRetracted', type: [Object] })
  retracted!: { statementId: string; earliest: string; latest: string }[];
}

export class FeedVoiceResponse {
  @ApiProperty({ example: 'us-government' }) organizationId!: string;
  @ApiProperty({ description: 'The voice (as GET /api/actors/{orgId}/voice/{topicId} answers) at each date where it can change, in date order; between two dates it holds the earlier one', type: [Object] })
  samples!: { date: string; voice: object }[];
}

export class TopicFeedResponse {
  @ApiProperty({ type: TopicResponse }) topic!: TopicResponse;
  @ApiProperty({ type: String, nullable: true }) knownAt!: string | null;
  @ApiProperty({ type: [FeedActorResponse], description: 'Every actor with a statement on the topic, by actorId (this page\'s share of them)' }) actors!: FeedActorResponse[];
  @ApiProperty({ type: [FeedVoiceResponse], description: "Organizations' voice segments, over every speaker of the topic (on the first page; empty on the next ones)" }) voices!: FeedVoiceResponse[];
  @ApiProperty({ type: [ActorResponse], description: 'The actors this page names: its speakers, their organizations and, on the first page, the organizations with a voice, as GET /api/actors/{id} answers them' })
  directory!: ActorResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Null unless the topic is over about 8 MB: then pass as cursor for the next actors' }) next!: string | null;
}
