import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@luotsi/config';
import { QUEUE_NAMES } from './queue-catalogue';
import { JobProducer } from './job-producer';
import { queueConnection } from './queue-connection';

/** BullMQ (on Redis, or on Postgres for the demo): the connection, every queue, and the producer. */
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            connection: queueConnection(config),
            prefix: config.redis.queuePrefix,
          }),
        }),
        ...QUEUE_NAMES.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [JobProducer],
      exports: [JobProducer, BullModule],
    };
  }
}
