import { Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AppConfig } from '@luotsi/config';
import { CheckInForm, CheckInService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { FormPage, ParticipantFormController } from './participant-page';
import { renderCheckInForm } from './check-in-form.page';
import { CHECK_IN_REFUSALS, CHECK_IN_TEXTS } from './check-in.texts';

/** `/c/{token}`: a key-result owner's weekly check-in; the form opens with the key results' latest state. */
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@Controller('c')
export class CheckInPageController extends ParticipantFormController<CheckInForm> {
  protected readonly texts = CHECK_IN_TEXTS;
  protected readonly refusals = CHECK_IN_REFUSALS;

  constructor(checkIns: CheckInService, config: AppConfig) {
    super(checkIns, config);
  }

  protected render(page: FormPage<CheckInForm>): string {
    return renderCheckInForm(page);
  }
}
