import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The retention runs' table (`retention_run`): the day the rules last ran, and what they deleted. */
@Injectable()
export class RetentionStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims today's run of `name`: true for the one caller that moves its day forward, false for every
   * other worker and every later beat of the same day.
   */
  async claimDay(name: string, today: string): Promise<boolean> {
    const claimed = await this.dataSource.query(
      `INSERT INTO retention_run (name, ran_on) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET ran_on = EXCLUDED.ran_on WHERE retention_run.ran_on < EXCLUDED.ran_on
       RETURNING name`,
      [name, today],
    );
    return claimed.length > 0;
  }

  /** Records what the day's run deleted, per rule. */
  async recordDeleted(name: string, deleted: Record<string, number>): Promise<void> {
    await this.dataSource.query(`UPDATE retention_run SET deleted = $2 WHERE name = $1`, [
      name,
      JSON.stringify(deleted),
    ]);
  }
}
