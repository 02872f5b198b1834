import { Logger } from '@nestjs/common';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

type Work = () => Promise<void>;

const pending = new WeakMap<QueryRunner, Work[]>();
const installed = new WeakSet<DataSource>();
const logger = new Logger('AfterCommit');

/**
 * Runs the work queued on a transaction once its outermost COMMIT is done, and drops it on rollback.
 * A failure is logged, not thrown: the commit has happened, and the row it wrote is the truth.
 */
class AfterCommitSubscriber implements EntitySubscriberInterface {
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    if (event.queryRunner.isTransactionActive) return; // a savepoint was released, not the transaction
    const work = pending.get(event.queryRunner) ?? [];
    pending.delete(event.queryRunner);
    for (const item of work) {
      try {
        await item();
      } catch (error) {
        logger.warn({ err: error }, 'work after commit failed');
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) pending.delete(event.queryRunner);
  }
}

function install(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  installed.add(dataSource);
  dataSource.subscribers.push(new AfterCommitSubscriber());
}

/**
 * Defers `work` (e.g. enqueuing a job for a row the transaction wrote) until the transaction of
 * `manager` has committed, so a job never finds its row unwritten. Outside a transaction it runs now.
 */
export async function afterCommit(manager: EntityManager, work: Work): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return work();
  install(runner.dataSource);
  pending.set(runner, [...(pending.get(runner) ?? []), work]);
}
