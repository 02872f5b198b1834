import { Module } from '@nestjs/common';
import { MailCapture } from '@luotsi/mail';
import { DevInboxService } from './dev-inbox.service';
import { DevInboxStore } from './dev-inbox.store';

/**
 * The development inbox (`captured_mail`): provides the mail library's `MailCapture` (the core passes
 * this module to `MailModule.forRoot`), the messages `/dev/inbox` shows, and their erasure.
 */
@Module({
  providers: [DevInboxStore, DevInboxService, { provide: MailCapture, useExisting: DevInboxService }],
  exports: [DevInboxService, MailCapture],
})
export class DevInboxModule {}
