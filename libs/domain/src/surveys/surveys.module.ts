import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryModule } from '../delivery';
import { PilotsModule } from '../pilots';
import { AnswerBatches } from './answer-batches';
import { AnswersStore } from './answers.store';
import { QuestionSetService } from './question-set.service';
import { ResponseService } from './response.service';
import { RetrospectiveMail } from './retrospective-mail';
import { RetrospectivePeople } from './retrospective-people';
import { RetrospectiveRuns } from './retrospective-runs';
import { RetrospectiveSteps } from './retrospective-steps';
import { RetrospectiveService } from './retrospective.service';
import { SurveysStore } from './surveys.store';

/**
 * Retrospectives and their question sets (`question_set`, `retrospective` behind `SurveysStore`;
 * `invitation`, `invitation_token`, `retrospective_response`, `pending_answer` behind `AnswersStore`):
 * the coach's runs, the cadence's retrospective steps, the mail's links, the participant's answers and
 * the batches that keep anonymous answers anonymous.
 */
@Module({
  imports: [AuditModule, DeliveryModule, PilotsModule],
  providers: [
    SurveysStore,
    AnswersStore,
    QuestionSetService,
    RetrospectiveRuns,
    RetrospectiveSteps,
    RetrospectiveService,
    RetrospectiveMail,
    RetrospectivePeople,
    ResponseService,
    AnswerBatches,
  ],
  exports: [QuestionSetService, RetrospectiveService, RetrospectivePeople, ResponseService, AnswerBatches],
})
export class SurveysModule {}
