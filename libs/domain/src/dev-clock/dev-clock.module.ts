import { Module } from '@nestjs/common';
import { DevClockStore } from './dev-clock.store';

/** The development clock's table, for the `SharedClock` that `CoreModule` provides outside production. */
@Module({ providers: [DevClockStore], exports: [DevClockStore] })
export class DevClockModule {}
