import { DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from './common/clock';
import { TenantContext } from './tenancy/tenant-context';
import { Tenancy } from './tenancy/tenancy.service';
import { AuditLog } from './audit/audit-log.service';
import { AuthService } from './auth/auth.service';
import { WorkspaceService } from './workspaces/workspace.service';
import { MemberService } from './members/member.service';
import { OrganizationService } from './organizations/organization.service';
import { RolloutService } from './rollouts/rollout.service';
import { PilotService } from './pilots/pilot.service';
import { ParticipantService } from './participants/participant.service';
import { HeartbeatService } from './heartbeat/heartbeat.service';

const services = [
  TenantContext,
  Tenancy,
  AuditLog,
  AuthService,
  WorkspaceService,
  MemberService,
  OrganizationService,
  RolloutService,
  PilotService,
  ParticipantService,
  HeartbeatService,
];

/** The domain services both apps share. The clock is replaceable (tests, the demo). */
@Module({})
export class DomainModule {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: DomainModule,
      global: true,
      providers: [
        options.clock
          ? { provide: Clock, useValue: options.clock }
          : { provide: Clock, useClass: SystemClock },
        ...services,
      ],
      exports: [Clock, ...services],
    };
  }
}
