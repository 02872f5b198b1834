import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@luotsi/config';
import { MailModule } from '@luotsi/mail';
import { Clock, SystemClock } from './common/clock';
import { DevClockModule, DevClockStore, SharedClock } from './dev-clock';
import { Reactions } from './common/reactions';
import { TenantContext } from './tenancy/tenant-context';
import { Tenancy } from './tenancy/tenancy.service';
import { DevInboxModule } from './dev-inbox';

export interface CoreOptions {
  /** Replaces the system clock (tests, the demo). */
  clock?: Clock;
}

/**
 * What every feature needs and no feature owns: the clock (the system's in production, else one that
 * `POST /dev/clock` moves), the tenant scope (`TenantContext`, `Tenancy`),
 * the declared reactions and their boot check, and the mail library (capturing into the development
 * inbox when nothing is sent). Global, so a feature module lists
 * only the features it asks, never the kernel.
 */
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    const kernel = [Reactions, TenantContext, Tenancy];
    return {
      module: CoreModule,
      global: true,
      imports: [MailModule.forRoot({ capture: DevInboxModule }), DiscoveryModule, DevClockModule],
      providers: [
        options.clock
          ? { provide: Clock, useValue: options.clock }
          : {
              // Outside production, a clock that `POST /dev/clock` moves for the API and the worker alike.
              provide: Clock,
              inject: [AppConfig, DevClockStore],
              useFactory: (config: AppConfig, store: DevClockStore) =>
                config.devTools ? new SharedClock(store) : new SystemClock(),
            },
        ...kernel,
      ],
      exports: [Clock, MailModule, ...kernel],
    };
  }
}
