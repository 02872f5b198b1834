import { AppConfig } from '@luotsi/config';
import { FormContext, ResponseService } from '@luotsi/domain';
import { ParticipantFormController, ParticipantPage } from './participant-page';
import { RETROSPECTIVE_PAGES } from './retrospective-form.page';

/** `/r/{token}`: a participant's retrospective form. */
@ParticipantPage('r')
export class RetrospectivePageController extends ParticipantFormController<FormContext> {
  constructor(responses: ResponseService, config: AppConfig) {
    super(responses, config, RETROSPECTIVE_PAGES);
  }
}
