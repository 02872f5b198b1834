import { AppConfig } from '@luotsi/config';
import { CheckInForm, CheckInService } from '@luotsi/domain';
import { ParticipantFormController, ParticipantPage } from './participant-page';
import { CHECK_IN_PAGES } from './check-in-form.page';

/** `/c/{token}`: a key-result owner's weekly check-in. */
@ParticipantPage('c')
export class CheckInPageController extends ParticipantFormController<CheckInForm> {
  constructor(checkIns: CheckInService, config: AppConfig) {
    super(checkIns, config, CHECK_IN_PAGES);
  }
}
