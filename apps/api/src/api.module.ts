import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@luotsi/config';
import { RuntimeModule, RuntimeOptions } from '@luotsi/runtime';
import { AccessGuard, TenantMiddleware } from './common/auth';
import { MetricsModule } from './metrics/metrics.module';
import { QueueBoardModule } from './queue-board/queue-board.module';
import { WebhookController } from './webhooks/webhook.controller';
import { ProblemFilter } from './common/problem.filter';
import { AuthController } from './auth/auth.controller';
import { SignInLimitsModule } from './auth/sign-in-limits.module';
import { ConsoleModule } from './console/console.module';
import { ConsoleMiddleware } from './console/console.middleware';
import { MemberController } from './members/member.controller';
import { OrganizationController } from './organizations/organization.controller';
import { RolloutController } from './rollouts/rollout.controller';
import { PilotController } from './pilots/pilot.controller';
import { ParticipantController } from './participants/participant.controller';
import { AuditController } from './audit/audit.controller';
import { HeartbeatController } from './heartbeats/heartbeat.controller';
import { HealthController } from './health/health.controller';
import { CadenceController } from './cadence/cadence.controller';
import { PilotCadenceController } from './cadence/pilot-cadence.controller';
import { DeliveryController } from './deliveries/delivery.controller';
import { InboundController } from './inbound/inbound.controller';
import { TemplateController } from './templates/template.controller';
import { QuestionSetController } from './question-sets/question-set.controller';
import { UnsubscribeController } from './participant-pages/unsubscribe.controller';
import { DevClockController } from './dev/dev-clock.controller';
import { DevInboxController } from './dev/dev-inbox.controller';
import { RetrospectiveController } from './retrospectives/retrospective.controller';
import { RetrospectivePageController } from './participant-pages/retrospective.controller';
import { CheckInPageController } from './participant-pages/check-in.controller';
import { PlanningPageController } from './participant-pages/planning.controller';
import { OkrController } from './okrs/okr.controller';
import { PlanningController } from './planning/planning.controller';
import { PracticeController } from './okrs/practice.controller';
import { ReportFormatController } from './reports/report-format.controller';
import { ReportShareController } from './reports/report-share.controller';
import { SharedReportController } from './reports/shared-report.controller';
import { PortfolioController } from './portfolio/portfolio.controller';
import { LearningReportController } from './reports/learning-report.controller';
import { ReadinessReportController } from './reports/readiness-report.controller';
import { ParticipantPageLimits } from './participant-pages/participant-page-limits';
import { asksForPdf, PDF_LIMIT } from './common/rate-limit.guard';

export type ApiOptions = RuntimeOptions;

/** The HTTP app: thin controllers over the domain services. It produces jobs and never consumes them. */
@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: ApiOptions = {}): DynamicModule {
    const config = options.config ?? AppConfig.fromEnvironment();
    return {
      module: ApiModule,
      imports: [
        RuntimeModule.forRoot({ ...options, config }),
        TerminusModule.forRoot({ logger: false }),
        // Per-address limits for the participant pages (the only routes under the default limit, through RateLimitGuard),
        // counted in Redis so they hold across API processes.
        // A tighter limit on every `.pdf` request (share links and the API alike): each may cost a print.
        ThrottlerModule.forRoot({
          throttlers: [
            { ttl: 60_000, limit: config.participantPageRatePerMinute },
            {
              name: PDF_LIMIT,
              ttl: 60_000,
              limit: config.reports.pdf.ratePerMinute,
              skipIf: (context) => !asksForPdf(context),
            },
          ],
          storage: new ParticipantPageLimits(config),
        }),
        MetricsModule,
        QueueBoardModule,
        SignInLimitsModule,
        ConsoleModule,
      ],
      controllers: [
        // First: the participant pages take the most traffic, and Express tries routes in this order.
        RetrospectivePageController,
        CheckInPageController,
        PlanningPageController,
        UnsubscribeController,
        AuthController,
        MemberController,
        OrganizationController,
        RolloutController,
        PilotController,
        ParticipantController,
        AuditController,
        HeartbeatController,
        HealthController,
        CadenceController,
        PilotCadenceController,
        DeliveryController,
        InboundController,
        TemplateController,
        QuestionSetController,
        RetrospectiveController,
        OkrController,
        PlanningController,
        PracticeController,
        // Before the report controllers: `readiness-reports/{id}.pdf` would otherwise match `readiness-reports/{id}`.
        ReportFormatController,
        ReportShareController,
        SharedReportController,
        PortfolioController,
        LearningReportController,
        ReadinessReportController,
        WebhookController,
        // The development inbox exists only where mail is captured instead of sent.
        ...(config.mail.smtpUrl || !config.devTools ? [] : [DevInboxController]),
        // The clock moves only outside production.
        ...(config.devTools ? [DevClockController] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TenantMiddleware).forRoutes('*path');
    // After the tenant middleware, which resolves the session: uploads and CSRF checks of the console.
    consumer.apply(ConsoleMiddleware).forRoutes('app', 'app/{*path}');
  }
}
