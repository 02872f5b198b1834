import { Module } from '@nestjs/common';
import { HeartbeatService } from './heartbeat.service';
import { HeartbeatStore } from './heartbeat.store';

/** The heartbeat (`heartbeat`): proof that a job went through the queue and a worker consumed it. */
@Module({
  providers: [HeartbeatStore, HeartbeatService],
  exports: [HeartbeatService],
})
export class HeartbeatModule {}
