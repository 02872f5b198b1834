import { AppConfig } from '@luotsi/config';
import { PlanningPage, PlanningService } from '@luotsi/domain';
import { ParticipantFormController, ParticipantPage, TokenForms } from './participant-page';
import { PLANNING_PAGES } from './planning.page';

/** The planning dialogue's link and posts, as the shared participant form controller takes them. */
export const planningForms = (planning: PlanningService): TokenForms<PlanningPage> => ({
  async lookup(token) {
    const found = await planning.lookup(token);
    return found.status === 'ok' ? { status: 'ok', form: found.page } : found;
  },
  async submit(token, values, locale) {
    const result = await planning.submit(token, values, locale);
    switch (result.status) {
      case 'saved':
        return {
          status: 'saved',
          form: result.page,
          anchor: result.entryId ? `entry-${result.entryId}` : `k-${result.keyResultId}-heading`,
        };
      case 'invalid':
        return { status: 'invalid', form: result.page, issues: result.issues, values: result.values };
      default:
        return result;
    }
  },
});

/**
 * `/p/{token}`: a participant's view of a quarter's draft OKRs and the dialogue on them, through the
 * shared participant form controller. GET shows the page (`?lang=` to switch); POST adds or edits what the
 * person says (and, for an objective's owner, its draft key results) and redirects back to the page (POST-redirect-GET, 303, `?saved=1#entry-{id}`), or shows the
 * page again with its errors (422), or, once the quarter has started, the friendly page that says the
 * planning has closed (410). The token in the path is the credential.
 */
@ParticipantPage('p')
export class PlanningPageController extends ParticipantFormController<PlanningPage> {
  constructor(planning: PlanningService, config: AppConfig) {
    super(planningForms(planning), config, PLANNING_PAGES);
  }
}
