import { ApiProperty } from '@nestjs/swagger';
import { MAX_SCORE, MAX_STANCES, MIN_SCORE, MIN_STANCES, TEXT_BOUNDS } from '@positions/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { StanceResponse } from '../common/responses.dto';
import { IsSlug, IsText } from '../common/validators';

export class StanceDto {
  @ApiProperty({ example: 'concessions-needed', description: 'A slug, unique within the codebook' })
  @IsSlug()
  code!: string;

  @ApiProperty({ example: 'Relief is possible within a settlement with concessions from all sides', maxLength: TEXT_BOUNDS.label })
  @IsText(TEXT_BOUNDS.label)
  label!: string;

  @ApiProperty({ example: 1, minimum: MIN_SCORE, maximum: MAX_SCORE, description: '-2 strongly against the proposition … +2 strongly for it' })
  @IsInt()
  @Min(MIN_SCORE)
  @Max(MAX_SCORE)
  score!: number;
}

export class OpenTopicDto {
  @ApiProperty({ example: 'russia-sanctions-relief' })
  @IsSlug()
  id!: string;

  @ApiProperty({ example: 'Relief of Western sanctions on Russia', maxLength: TEXT_BOUNDS.title })
  @IsText(TEXT_BOUNDS.title)
  title!: string;

  @ApiProperty({ example: 'Western sanctions on Russia should be lifted', maxLength: TEXT_BOUNDS.proposition })
  @IsText(TEXT_BOUNDS.proposition)
  proposition!: string;

  @ApiProperty({ type: [StanceDto], minItems: MIN_STANCES, maxItems: MAX_STANCES, description: 'The codebook: stance codes must be unique' })
  @IsArray()
  @ArrayMinSize(MIN_STANCES)
  @ArrayMaxSize(MAX_STANCES)
  @ValidateNested({ each: true })
  @Type(() => StanceDto)
  stances!: StanceDto[];
}

export class TopicResponse {
  @ApiProperty({ example: 'russia-sanctions-relief' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() proposition!: string;
  @ApiProperty({ type: [StanceResponse] }) stances!: StanceResponse[];
}

export class ListedTopicResponse extends TopicResponse {
  @ApiProperty({ example: 5, description: 'How many actors have a statement on the topic (retracted ones count)' }) speakers!: number;
}
