import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';
import { AuditStore } from './audit.store';

/** Who did what: the audit log (`audit_event`), appended to by every feature through `AuditLog`. */
@Module({
  providers: [AuditStore, AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
