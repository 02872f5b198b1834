import { Module } from '@nestjs/common';
import { SignInLimitsModule } from '../auth/sign-in-limits.module';
import { AssetsController } from './assets.controller';
import { CadencePagesController } from './cadence.controller';
import { ConsolePages } from './console-pages';
import { HomeController } from './home.controller';
import { PilotLifecycleController } from './pilots/pilot-lifecycle-pages';
import { PilotPagesController } from './pilots/pilot-pages.controller';
import { PlanningPagesController } from './pilots/planning-pages.controller';
import { PilotCadencePagesController } from './pilots/pilot-cadence.page';
import { SetupController } from './setup.controller';
import { ScopedTemplatesPagesController } from './scoped-templates.controller';
import { ParticipantPagesController } from './participants.controller';
import { LearningReportPage } from './reports/learning-report.page';
import { ReadinessReportPage } from './reports/readiness-report.page';
import { AuditPagesController } from './owner/audit.controller';
import { MembersPagesController } from './owner/members.controller';
import { OperatorPageController } from './owner/operator.controller';
import { TemplatesPagesController } from './owner/templates.controller';
import { WebhooksPagesController } from './owner/webhooks.controller';
import { SignInController } from './sign-in.controller';
import { AccountController } from './account.controller';

/**
 * The console under /app: server-rendered pages for coaches, owners and sponsors over the same domain
 * services the API calls, so it can do nothing the API would refuse. Sessions are cookies carrying the
 * API's own token; every unsafe request carries a CSRF token (ConsoleMiddleware).
 */
@Module({
  imports: [SignInLimitsModule],
  controllers: [
    AssetsController,
    SignInController,
    AccountController,
    HomeController,
    PilotPagesController,
    PilotLifecycleController,
    PlanningPagesController,
    PilotCadencePagesController,
    SetupController,
    ParticipantPagesController,
    CadencePagesController,
    ScopedTemplatesPagesController,
    LearningReportPage,
    ReadinessReportPage,
    MembersPagesController,
    TemplatesPagesController,
    WebhooksPagesController,
    AuditPagesController,
    OperatorPageController,
  ],
  providers: [ConsolePages],
  exports: [ConsolePages],
})
export class ConsoleModule {}
