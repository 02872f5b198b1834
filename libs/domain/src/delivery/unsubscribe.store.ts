import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { relation, returned } from '../common/sql';

/** The columns of `unsubscribe_token` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const UNSUBSCRIBE_TOKEN_ROWS = relation<'workspace_id' | 'participant_id' | 'created_at'>(
  `(SELECT workspace_id, participant_id, created_at FROM unsubscribe_token)`,
);

/**
 * The unsubscribe links' tokens (`unsubscribe_token`), by their digest: the only code that reads them.
 * A token is written with the send that puts its link in a mail (`OutboxStore.claimWithToken`).
 */
@Injectable()
export class UnsubscribeStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The participant the token with this digest was made for, if it is known. */
  async participantOf(
    tokenHash: Buffer,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | undefined> {
    const [row] = returned<{ participant_id: string }>(
      await manager.query(`SELECT participant_id FROM unsubscribe_token WHERE token_hash = $1`, [tokenHash]),
    );
    return row?.participant_id;
  }
}
