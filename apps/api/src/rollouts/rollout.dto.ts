import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ROLLOUT_STATUSES, type RolloutStatus } from '@luotsi/database';

export class RolloutDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() goal: string;
  @ApiProperty() targetHeadcount: number;
  @ApiProperty() plannedWaves: number;
  @ApiProperty({ enum: ROLLOUT_STATUSES }) status: RolloutStatus;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreateRolloutDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() organizationId: string;
  @ApiProperty({ example: 'Every unit plans its quarter with OKRs by 2028' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  goal: string;
  @ApiProperty({ example: 8000 }) @IsInt() @Min(1) @Max(10_000_000) targetHeadcount: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(20) plannedWaves: number;
}

export class UpdateRolloutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) goal?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10_000_000) targetHeadcount?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(20) plannedWaves?: number;
  @ApiPropertyOptional({ enum: ROLLOUT_STATUSES, description: 'Moves forward only' })
  @IsOptional()
  @IsIn(ROLLOUT_STATUSES)
  status?: RolloutStatus;
}

export class RolloutFilter {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
}
