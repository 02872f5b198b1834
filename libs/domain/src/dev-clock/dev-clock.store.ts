import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The one row of the shared development clock. */
const ROW = 1;

/**
 * The development clock's table (`dev_clock`): the only code that reads or writes it. It belongs to no
 * workspace (it exists only outside production), so nothing here is scoped.
 */
@Injectable()
export class DevClockStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Milliseconds the clock is moved from the system's; 0 until someone moves it. */
  async offsetMs(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT offset_ms AS "offsetMs" FROM dev_clock WHERE id = $1`, [
      ROW,
    ]);
    return row ? Number(row.offsetMs) : 0;
  }

  async setOffsetMs(offsetMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dev_clock (id, offset_ms) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET offset_ms = EXCLUDED.offset_ms, updated_at = now()`,
      [ROW, Math.round(offsetMs)],
    );
  }
}
