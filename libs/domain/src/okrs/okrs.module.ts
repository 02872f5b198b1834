import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PilotsModule } from '../pilots';
import { OkrsStore } from './okrs.store';
import { CheckInsStore } from './check-ins.store';
import { OkrAccess } from './okr-access';
import { ObjectiveService } from './objective.service';
import { KeyResultService } from './key-result.service';
import { OkrScoringService } from './okr-scoring.service';
import { OkrImportService } from './okr-import.service';
import { CheckInService } from './check-in.service';
import { PracticeSignalsService } from './practice-signals.service';
import { CarryOverService } from './carry-over.service';

const services = [
  ObjectiveService,
  KeyResultService,
  OkrScoringService,
  OkrImportService,
  CheckInService,
  PracticeSignalsService,
  CarryOverService,
];

/**
 * Objectives, key results and weekly check-ins (`objective`, `key_result`, `check_in`, `check_in_token`):
 * the OKRs of a pilot's quarters, their scoring, import and carry-over, the check-in links of the mail,
 * and the practice signals the reports count from them.
 */
@Module({
  imports: [AuditModule, PilotsModule],
  providers: [OkrsStore, CheckInsStore, OkrAccess, ...services],
  exports: services,
})
export class OkrsModule {}
