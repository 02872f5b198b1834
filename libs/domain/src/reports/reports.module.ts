import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CadenceModule } from '../cadence';
import { DeliveryModule } from '../delivery';
import { OrganizationsModule } from '../organizations';
import { PilotsModule } from '../pilots';
import { PlanningModule } from '../planning';
import { WebhooksModule } from '../webhooks';
import { WorkspacesModule } from '../workspaces';
import { LEARNING_REPORT_SERVICES } from './learning';
import { LearningNotesStore } from './learning/learning-notes.store';
import { LearningStore } from './learning/learning.store';
import {
  NextWaveSeeds,
  NextWaveService,
  ReadinessEvidence,
  ReadinessReportService,
  RolloutDecisionService,
} from './readiness';
import { ReadinessStore } from './readiness/readiness.store';
import { RolloutDecisionsStore } from './readiness/rollout-decisions.store';
import { ReportFormats, ReportPrinter } from './render';
import { ReportBuilds } from './report-builds';
import { ReportReconciler } from './report-reconciler';
import { ReportWebhooks } from './report-webhooks';
import { ReportsStore } from './reports.store';
import { ReportMail, ReportSharing } from './sharing';
import { ReportSharesStore } from './sharing/report-shares.store';

const services = [
  ReportBuilds,
  ReportReconciler,
  ReportWebhooks,
  ReportPrinter,
  ReportFormats,
  ReportSharing,
  ReportMail,
  ...LEARNING_REPORT_SERVICES,
  ReadinessEvidence,
  ReadinessReportService,
  RolloutDecisionService,
  NextWaveSeeds,
  NextWaveService,
];

/**
 * The reports (`learning_report`, `learning_note`, `readiness_report`, `rollout_decision`,
 * `report_share`): the learning report of a pilot quarter and its notes, the readiness report of a
 * rollout and the sponsors' decisions on it, their builds, formats, share links and mail. The stores are
 * the only code with SQL for these tables; the learning and readiness stores read other features' tables
 * through their relations only.
 */
@Module({
  imports: [
    AuditModule,
    CadenceModule,
    DeliveryModule,
    OrganizationsModule,
    PilotsModule,
    PlanningModule,
    WebhooksModule,
    WorkspacesModule,
  ],
  providers: [
    ReportsStore,
    LearningNotesStore,
    RolloutDecisionsStore,
    ReportSharesStore,
    LearningStore,
    ReadinessStore,
    ...services,
  ],
  exports: services,
})
export class ReportsModule {}
