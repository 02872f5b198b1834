import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MailModule } from '@luotsi/mail';
import { Clock, SystemClock } from './common/clock';
import { Reactions } from './common/reactions';
import { TenantContext } from './tenancy/tenant-context';
import { Tenancy } from './tenancy/tenancy.service';
import { DevInboxModule } from './dev-inbox';

export interface CoreOptions {
  /** Replaces the system clock (tests, the demo). */
  clock?: Clock;
}

/**
 * What every feature needs and no feature owns: the clock, the tenant scope (`TenantContext`, `Tenancy`),
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
      imports: [MailModule.forRoot({ capture: DevInboxModule }), DiscoveryModule],
      providers: [
        options.clock
          ? { provide: Clock, useValue: options.clock }
          : { provide: Clock, useClass: SystemClock },
        ...kernel,
      ],
      exports: [Clock, MailModule, ...kernel],
    };
  }
}
