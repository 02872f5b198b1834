import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

const LOCALES = ['fi', 'sv', 'en'] as const;

export class SignUpDto {
  @ApiProperty({ example: 'Pilotti Consulting Oy' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workspaceName: string;
  @ApiProperty({ example: 'coach@example.fi' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Aino Virtanen' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12, maxLength: 256 }) @IsString() @MinLength(12) @MaxLength(256) password: string;
  @ApiPropertyOptional({ enum: LOCALES, description: 'The language of the mail; English when unset' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: (typeof LOCALES)[number];
}

/** The neutral answer of sign-up and of the requests for a mailed link. */
export class MailedDto {
  @ApiProperty({ enum: ['check_your_mail'] }) status: 'check_your_mail';
  @ApiProperty() message: string;
}

export class TokenOnlyDto {
  @ApiProperty({ description: 'The single-use token from the mailed link' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

export class EmailOnlyDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiPropertyOptional({
    enum: LOCALES,
    description: 'The language of the mail, unless the account has its own',
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: (typeof LOCALES)[number];
}

export class ResetPasswordDto extends TokenOnlyDto {
  @ApiProperty({ minLength: 12, maxLength: 256 }) @IsString() @MinLength(12) @MaxLength(256) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) currentPassword: string;
  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword: string;
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

/** The password was right and the member has the second factor on: a code ends the sign-in. */
export class SecondFactorChallengeDto {
  @ApiProperty({ enum: ['second_factor_required'] }) status: 'second_factor_required';
  @ApiProperty({ description: 'Single use; post it with the code to /auth/login/second-factor' })
  challengeToken: string;
  @ApiProperty() expiresAt: Date;
}

export class CodeDto {
  @ApiProperty({
    description: "The authenticator's current six-digit code",
    example: '123456',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class SecondFactorSignInDto {
  @ApiProperty({ description: 'From the answer of /auth/login' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  challengeToken: string;

  @ApiProperty({
    description: "The authenticator's current six-digit code, or one of the recovery codes (each works once)",
    example: '123456',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class SecondFactorStatusDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: Date }) enabledAt: Date | null;
  @ApiProperty() recoveryCodesLeft: number;
}

export class SecondFactorEnrolmentDto {
  @ApiProperty({ description: 'Base32, for typing into an authenticator app' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Luotsi:owner%40example.fi?secret=…&issuer=Luotsi' })
  otpauthUri: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Shown this once; each works once in place of a code' })
  recoveryCodes: string[];
}
