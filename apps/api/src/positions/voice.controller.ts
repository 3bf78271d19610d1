import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { VoiceQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { SlugPipe } from '../common/id.pipes';
import { StanceResponse } from '../common/responses.dto';
import { PositionQueryDto } from '../common/time-queries.dto';
import { PositionResponse } from './positions.dto';

class VoiceEntryResponse {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: StanceResponse }) stance!: StanceResponse;
  @ApiProperty({ format: 'uuid' }) statementId!: string;
}

class VoiceResponse extends PositionResponse {
  @ApiProperty({ type: String, nullable: true, description: 'The actor whose statement decided the position' }) speaker!: string | null;
  @ApiProperty({ type: [VoiceEntryResponse], description: 'Every current spokesperson with a known position, by actorId' }) voices!: VoiceEntryResponse[];
  @ApiProperty({ description: 'Two current spokespeople differ in score by 2 or more' }) divergent!: boolean;
}

@ApiTags('positions')
@Controller('actors/:orgId/voice')
export class VoiceController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':topicId')
  @QueryRoute({
    summary: "An organization's position through its own statements and its spokespeople's",
    description: 'Spokespeople: affiliations with speaksFor covering the date, or statements made onBehalfOf it. Affiliations apply at query time.',
    answer: VoiceResponse,
    errors: [404],
  })
  async voice(
    @Param('orgId', new SlugPipe('orgId')) orgId: string,
    @Param('topicId', new SlugPipe('topicId')) topicId: string,
    @Query() query: PositionQueryDto,
  ): Promise<VoiceResponse> {
    return (await this.queries.execute(new VoiceQuery(orgId, topicId, query.at, query.knownAt))) as VoiceResponse;
  }
}
