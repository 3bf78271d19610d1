import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsText } from './validators';

/** `?q=` on the actor and topic listings: keep those that match, best first. */
export class NameQueryDto {
  @ApiPropertyOptional({ example: 'dombro', description: 'Word prefixes over names, aliases, titles and propositions; case and accents ignored; best first' })
  @IsOptional()
  @IsText(200)
  q?: string;
}
