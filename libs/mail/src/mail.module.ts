import { Module } from '@nestjs/common';
import { MailRenderer } from './mail-renderer';
import { MailTransport } from './mail-transport';

/** Rendering and sending. The renderer compiles every template when the module is created, failing a bad boot early. */
@Module({ providers: [MailRenderer, MailTransport], exports: [MailRenderer, MailTransport] })
export class MailModule {}
