import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { MailRenderer } from './mail-renderer';
import { MailTransport } from './mail-transport';

export interface MailModuleOptions {
  /** A module that provides and exports `MailCapture`, where captured mail is kept (no `SMTP_URL`). */
  capture: NonNullable<ModuleMetadata['imports']>[number];
}

/** Rendering and sending. The renderer compiles every template when the module is created, failing a bad boot early. */
@Module({})
export class MailModule {
  static forRoot(options: MailModuleOptions): DynamicModule {
    return {
      module: MailModule,
      imports: [options.capture],
      providers: [MailRenderer, MailTransport],
      exports: [MailRenderer, MailTransport],
    };
  }
}
