import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimeValue } from './validators';

/** `?knownAt=`: the answer as the record stood at a moment (docs/domain.md, "Record time"). */
export class KnownAtQueryDto {
  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'As the record stood then: a date means the end of that UTC day; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;
}

/** `?at=&knownAt=`: a position at a date, as the record stood at a moment (docs/domain.md, "Positions"). */
export class PositionQueryDto {
  @ApiPropertyOptional({ example: '2025-02-26', description: 'The date asked about: a date means the whole UTC day; default now' })
  @IsOptional()
  @IsTimeValue()
  at?: string;

  @ApiPropertyOptional({ example: '2026-11-29T12:00:00Z', description: 'Answer as the record stood then: a date means the end of that UTC day; default now' })
  @IsOptional()
  @IsTimeValue()
  knownAt?: string;
}
