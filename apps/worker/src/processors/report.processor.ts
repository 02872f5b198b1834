import { BeforeApplicationShutdown } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ReportBuilds } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, QueueName } from '@luotsi/queue';
import { noHandler } from './job-handling';

/** The reports queue: builds learning and readiness reports, one at a time per worker (they are heavy). */
@Processor(QueueName.Reports, { concurrency: 1 })
export class ReportProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(private readonly builds: ReportBuilds) {
    super();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Reports>;
    switch (name) {
      case JobName.BuildReport: {
        const { kind, reportId, generation } = job.data as JobPayloads[JobName.BuildReport];
        await this.builds.build(kind, reportId, generation);
        return { kind, reportId, generation };
      }
      default:
        return noHandler(name);
    }
  }
}
