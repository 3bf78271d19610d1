import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_TYPES, type MessageFilter, type MessageType } from '@positions/application';
import { MAX_URL_LENGTH } from '@positions/domain';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDefined, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { IsSlug } from '../common/validators';

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://example.org/hooks/positions', maxLength: MAX_URL_LENGTH, description: 'http or https; by default not a loopback, link-local or private address' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http or https URL' })
  url!: string;

  @ApiPropertyOptional({ example: 'russia-sanctions-relief', description: 'Only messages about this topic' })
  @IsOptional()
  @IsSlug()
  topicId?: string;

  @ApiPropertyOptional({ example: 'donald-trump', description: 'Only messages about this actor' })
  @IsOptional()
  @IsSlug()
  actorId?: string;

  @ApiPropertyOptional({ example: ['position-changed'], enum: MESSAGE_TYPES, isArray: true, description: 'Only these message types' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MESSAGE_TYPES.length)
  @ArrayUnique()
  @IsIn(MESSAGE_TYPES, { each: true, message: `each must be one of ${MESSAGE_TYPES.join(', ')}` })
  types?: MessageType[];
}

export class WebhookFiltersResponse implements MessageFilter {
  @ApiPropertyOptional() topicId?: string;
  @ApiPropertyOptional() actorId?: string;
  @ApiPropertyOptional({ enum: MESSAGE_TYPES, isArray: true }) types?: MessageType[];
}

export class RegisteredWebhookResponse {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: WebhookFiltersResponse }) filters!: WebhookFiltersResponse;
  @ApiProperty({ description: 'The signing secret (Standard Webhooks, `whsec_...`): shown in this answer only' }) secret!: string;
}

export class WebhookResponse {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: WebhookFiltersResponse }) filters!: WebhookFiltersResponse;
  @ApiProperty({ enum: ['active', 'failing', 'disabled'] }) state!: string;
  @ApiProperty({ description: 'Every message at or below this log position has been delivered' }) deliveredThrough!: number;
  @ApiProperty({ description: 'Failed attempts since the last delivery' }) failures!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}
