import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class SignUpDto {
  @ApiProperty({ example: 'Pilotti Consulting Oy' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workspaceName: string;
  @ApiProperty({ example: 'coach@example.fi' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Aino Virtanen' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12, maxLength: 256 }) @IsString() @MinLength(12) @MaxLength(256) password: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The one-time token from the invitation' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
  @ApiProperty({ minLength: 12, maxLength: 256 }) @IsString() @MinLength(12) @MaxLength(256) password: string;
}

export class TokenDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty() expiresAt: Date;
}
