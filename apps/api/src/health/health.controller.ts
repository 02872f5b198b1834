import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { AppConfig } from '@luotsi/config';
import { HeartbeatService } from '@luotsi/domain';
import { JobProducer, QueueName } from '@luotsi/queue';
import { Public } from '../common/auth';

/**
 * Postgres and Redis must answer for the API to be healthy. The worker's last heartbeat is reported
 * too; a silent worker makes the status `degraded` (HTTP 200): the API still serves.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly producer: JobProducer,
    private readonly heartbeats: HeartbeatService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            // A round trip through the queue backend itself, whichever store backs it.
            await this.producer.queue(QueueName.Maintenance).getJobCounts('waiting');
          })
          .withTimeout(2000),
      async () => {
        const worker = this.indicators.check('worker');
        const lastBeatAt = await this.heartbeats.lastBeatAt();
        const fresh =
          lastBeatAt && Date.now() - new Date(lastBeatAt).getTime() < 3 * this.config.worker.heartbeatEveryMs;
        return fresh
          ? worker.up({ lastBeatAt })
          : worker.degraded({ lastBeatAt, message: 'no recent heartbeat from a worker' });
      },
    ]);
  }
}
