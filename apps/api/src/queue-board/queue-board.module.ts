import { Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { QUEUE_NAMES } from '@luotsi/queue';
import { AdminSessionController } from './admin-session.controller';
import { OperatorOnly, SendQuotaController } from '../operator/send-quota.controller';
import { OperatorAccess, QUEUE_BOARD_ROUTE, QueueBoardAccess } from './queue-board-access';

/**
 * Bull Board at /admin/queues, read-only, for the operator (OPERATOR_TOKEN) only: every queue of the
 * catalogue, which all workspaces share. Closed (404) without OPERATOR_TOKEN.
 */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: QUEUE_BOARD_ROUTE,
      adapter: ExpressAdapter,
      middleware: QueueBoardAccess,
      boardOptions: { uiConfig: { boardTitle: 'Luotsi queues' } },
    }),
    BullBoardModule.forFeature(
      ...QUEUE_NAMES.map((name) => ({ name, adapter: BullMQAdapter, options: { readOnlyMode: true } })),
    ),
  ],
  controllers: [AdminSessionController, SendQuotaController],
  providers: [OperatorAccess, QueueBoardAccess, OperatorOnly],
})
export class QueueBoardModule {}
