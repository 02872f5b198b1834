import { Foundation1795610690199 } from './1795610690199-Foundation';
import { Cadence1795612305230 } from './1795612305230-Cadence';
import { Retrospectives1795613800393 } from './1795613800393-Retrospectives';
import { Okrs1795615257084 } from './1795615257084-Okrs';
import { CheckIns1795616425136 } from './1795616425136-CheckIns';
import { Reports1795619663368 } from './1795619663368-Reports';
import { Webhooks1795621046545 } from './1795621046545-Webhooks';
import { ReportGenerations1795623236795 } from './1795623236795-ReportGenerations';
import { FrozenMembershipAndHeldAnswers1796572591865 } from './1796572591865-FrozenMembershipAndHeldAnswers';
import { WebhookGenerations1796700000000 } from './1796700000000-WebhookGenerations';
import { WebhookEgress1796800000000 } from './1796800000000-WebhookEgress';
import { MemberLanguage1796900000000 } from './1796900000000-MemberLanguage';
import { PilotCadence1797000000000 } from './1797000000000-PilotCadence';
import { QuartersThatMove1797100000000 } from './1797100000000-QuartersThatMove';
import { Bounces1797200000000 } from './1797200000000-Bounces';
import { NextWave1797400000000 } from './1797400000000-NextWave';
import { RetentionAndTallies1797600000000 } from './1797600000000-RetentionAndTallies';
import { LighterTallies1797650000000 } from './1797650000000-LighterTallies';
import { PlanningDialogue1797700000000 } from './1797700000000-PlanningDialogue';
import { ReportPdfCache1797800000000 } from './1797800000000-ReportPdfCache';
import { SendQuota1797810000000 } from './1797810000000-SendQuota';
import { Accounts1797900000000 } from './1797900000000-Accounts';
import { SendQuotaBatches1797950000000 } from './1797950000000-SendQuotaBatches';
import { PlanningDigest1798000000000 } from './1798000000000-PlanningDigest';
import { SecondFactor1798100000000 } from './1798100000000-SecondFactor';

/** Every migration, in order. Listed as classes so tests and dist run the same set. */
export const MIGRATIONS = [
  Foundation1795610690199,
  Cadence1795612305230,
  Retrospectives1795613800393,
  Okrs1795615257084,
  CheckIns1795616425136,
  Reports1795619663368,
  Webhooks1795621046545,
  ReportGenerations1795623236795,
  FrozenMembershipAndHeldAnswers1796572591865,
  WebhookGenerations1796700000000,
  WebhookEgress1796800000000,
  MemberLanguage1796900000000,
  PilotCadence1797000000000,
  QuartersThatMove1797100000000,
  Bounces1797200000000,
  NextWave1797400000000,
  RetentionAndTallies1797600000000,
  LighterTallies1797650000000,
  PlanningDialogue1797700000000,
  ReportPdfCache1797800000000,
  SendQuota1797810000000,
  Accounts1797900000000,
  SendQuotaBatches1797950000000,
  PlanningDigest1798000000000,
  SecondFactor1798100000000,
];
