import { Module } from '@nestjs/common';
import { SignInLimits } from './sign-in-limits';

/** One set of sign-in limits (one Redis client) for the API's and the console's doors alike. */
@Module({ providers: [SignInLimits], exports: [SignInLimits] })
export class SignInLimitsModule {}
