import { Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AppConfig } from '@luotsi/config';
import { FormContext, ResponseService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { FormPage, ParticipantFormController } from './participant-page';
import { renderRetrospectiveForm } from './retrospective-form.page';
import { RETROSPECTIVE_REFUSALS, RETROSPECTIVE_TEXTS } from './retrospective.texts';

/** `/r/{token}`: a participant's retrospective form, with their earlier answers where the run keeps them. */
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@Controller('r')
export class RetrospectivePageController extends ParticipantFormController<FormContext> {
  protected readonly texts = RETROSPECTIVE_TEXTS;
  protected readonly refusals = RETROSPECTIVE_REFUSALS;

  constructor(responses: ResponseService, config: AppConfig) {
    super(responses, config);
  }

  protected render(page: FormPage<FormContext>): string {
    return renderRetrospectiveForm(page);
  }

  /** The earlier answers; one tap in the email (`?q=…&a=…`) opens the form with that answer filled in. */
  protected override opening(form: FormContext, query: Record<string, unknown>): Record<string, string> {
    const values = toStrings(form.previous);
    const { q: tapped, a: answer } = query;
    if (
      typeof tapped === 'string' &&
      typeof answer === 'string' &&
      form.questions.some((q) => q.key === tapped)
    ) {
      values[tapped] = answer.slice(0, 100);
    }
    return values;
  }

  /** Confidential and named answers may be changed until the run closes. */
  protected override afterThanks(form: FormContext): string[] {
    if (form.anonymity === 'anonymous') return [];
    const closes = new Intl.DateTimeFormat(form.locale, { dateStyle: 'long', timeZone: 'UTC' });
    return [RETROSPECTIVE_TEXTS[form.locale].changeUntil(closes.format(form.closesAt))];
  }
}

function toStrings(answers: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers ?? {})
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
