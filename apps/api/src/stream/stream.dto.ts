import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { MESSAGE_TYPES, type MessageFilter, type MessageType } from '@positions/application';
import { IsSlug } from '../common/validators';

const TYPE_LIST = new RegExp(`^(${MESSAGE_TYPES.join('|')})(,(${MESSAGE_TYPES.join('|')})){0,${MESSAGE_TYPES.length - 1}}$`);

/** Filters of the stream (and of webhooks): only messages about this topic, this actor, these types. */
export class StreamQueryDto {
  @ApiPropertyOptional({ example: 'russia-sanctions-relief', description: 'Only messages about this topic' })
  @IsOptional()
  @IsSlug()
  topicId?: string;

  @ApiPropertyOptional({ example: 'donald-trump', description: 'Only messages about this actor (for voice messages: the organization or one of its voices)' })
  @IsOptional()
  @IsSlug()
  actorId?: string;

  @ApiPropertyOptional({ example: 'position-changed,voice-diverged', description: `Only these message types, comma-separated: ${MESSAGE_TYPES.join(', ')}` })
  @IsOptional()
  @Matches(TYPE_LIST, { message: `must be message types, comma-separated: ${MESSAGE_TYPES.join(', ')}` })
  types?: string;
}

export function filterOf(query: StreamQueryDto): MessageFilter {
  return {
    ...(query.topicId !== undefined && { topicId: query.topicId }),
    ...(query.actorId !== undefined && { actorId: query.actorId }),
    ...(query.types !== undefined && { types: query.types.split(',') as MessageType[] }),
  };
}
