import { Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { QUEUE_NAMES } from '@luotsi/queue';
import { AdminSessionController } from './admin-session.controller';
import { QUEUE_BOARD_ROUTE, QueueBoardAccess } from './queue-board-access';

/** Bull Board at /admin/queues, read-only, for owners: every queue of the catalogue. */
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
  controllers: [AdminSessionController],
  providers: [QueueBoardAccess],
})
export class QueueBoardModule {}
