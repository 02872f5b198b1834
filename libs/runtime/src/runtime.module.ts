import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, LoggingModule } from '@luotsi/config';
import { DatabaseModule } from '@luotsi/database';
import { Clock, DomainModule } from '@luotsi/domain';
import { QueueModule } from '@luotsi/queue';

export interface RuntimeOptions {
  /** The validated configuration; read from the environment when not given. */
  config?: AppConfig;
  /** Replaces the system clock (tests, the demo). */
  clock?: Clock;
}

/**
 * What both apps run on: the validated configuration, JSON logging, the database, the queues (as a
 * producer) and the domain. The API puts HTTP on top of it, the worker its processors.
 */
@Module({})
export class RuntimeModule {
  static forRoot(options: RuntimeOptions = {}): DynamicModule {
    const config = options.config ?? AppConfig.fromEnvironment();
    return {
      module: RuntimeModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule,
        QueueModule.forRoot(),
        DomainModule.forRoot({ clock: options.clock }),
      ],
    };
  }
}
