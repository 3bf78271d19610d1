import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_KINDS, type ActorKind, TEXT_BOUNDS } from '@positions/domain';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { IsCalendarDate, IsSlug, IsText, IsOptionalNotNull } from '../common/validators';

export class RegisterActorDto {
  @ApiProperty({ example: 'marco-rubio', description: 'A slug, unique among actors, at most 64 characters' })
  @IsSlug()
  id!: string;

  @ApiProperty({ example: 'Marco Rubio', minLength: 1, maxLength: TEXT_BOUNDS.name })
  @IsText(TEXT_BOUNDS.name)
  name!: string;

  @ApiProperty({ enum: ACTOR_KINDS, example: 'person' })
  @IsIn(ACTOR_KINDS, { message: `must be one of ${ACTOR_KINDS.join(', ')}` })
  kind!: ActorKind;

  @ApiPropertyOptional({ type: [String], example: ['Rubio'], maxItems: 20, description: 'Other names, each 1–200 characters' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsText(TEXT_BOUNDS.alias, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ example: 'Q324546', description: 'Wikidata item id' })
  @IsOptionalNotNull()
  @Matches(/^Q[1-9][0-9]{0,11}$/, { message: 'must be a Wikidata item id such as Q22686' })
  wikidataId?: string;
}

export class BeginAffiliationDto {
  @ApiProperty({ example: 'us-government', description: 'A registered government or organization' })
  @IsSlug()
  organizationId!: string;

  @ApiProperty({ example: 'Secretary of State', minLength: 1, maxLength: TEXT_BOUNDS.role })
  @IsText(TEXT_BOUNDS.role)
  role!: string;

  @ApiProperty({ example: '2025-01-21', description: 'First day (inclusive), YYYY-MM-DD' })
  @IsCalendarDate()
  from!: string;

  @ApiPropertyOptional({ example: '2029-01-20', description: 'Last day (inclusive), YYYY-MM-DD; omitted while open' })
  @IsOptional() // null, as GET shows an open affiliation, means open
  @IsCalendarDate()
  until?: string;

  @ApiPropertyOptional({ default: false, description: 'Whether the actor speaks for the organization in this role' })
  @IsOptionalNotNull()
  @IsBoolean()
  speaksFor?: boolean;
}

export class EndAffiliationDto {
  @ApiProperty({ example: 'us-government' })
  @IsSlug()
  organizationId!: string;

  @ApiProperty({ example: 'Secretary of State', minLength: 1, maxLength: TEXT_BOUNDS.role })
  @IsText(TEXT_BOUNDS.role)
  role!: string;

  @ApiProperty({ example: '2029-01-20', description: 'Last day (inclusive), YYYY-MM-DD' })
  @IsCalendarDate()
  until!: string;
}

export class AffiliationResponse {
  @ApiProperty() organizationId!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ example: '2025-01-21' }) from!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) until!: string | null;
  @ApiProperty() speaksFor!: boolean;
}

export class ActorResponse {
  @ApiProperty({ example: 'marco-rubio' }) id!: string;
  @ApiProperty({ example: 'Marco Rubio' }) name!: string;
  @ApiProperty({ enum: ACTOR_KINDS }) kind!: ActorKind;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: String, nullable: true }) wikidataId!: string | null;
  @ApiProperty({ type: [AffiliationResponse] }) affiliations!: AffiliationResponse[];
}
