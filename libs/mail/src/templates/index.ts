import type { MailLocale, MailTemplateName, TemplateContent } from '../template-catalogue';
import { ACCOUNT_CONFIRMATION, ACCOUNT_NOTICE, PASSWORD_RESET } from './account';
import { CHECKIN_REQUEST } from './checkin-request';
import { MEMBER_INVITATION } from './member-invitation';
import { PROMPT_KICKOFF } from './prompt-kickoff';
import { PROMPT_MIDQUARTER } from './prompt-midquarter';
import { REPORT_READY } from './report-ready';
import { RETROSPECTIVE_CLOSED } from './retrospective-closed';
import { RETROSPECTIVE_INVITATION } from './retrospective-invitation';
import { RETROSPECTIVE_REMINDER } from './retrospective-reminder';
import { REVIEW_REMINDER } from './review-reminder';
import { PLANNING_OPEN } from './planning-open';
import { PLANNING_DIGEST, PLANNING_DIGEST_COACH } from './planning-digest';

/** The built-in content of every template in every locale; a workspace may override any of them. */
export const TEMPLATE_CONTENT: Record<MailTemplateName, Record<MailLocale, TemplateContent>> = {
  'prompt-kickoff': PROMPT_KICKOFF,
  'prompt-midquarter': PROMPT_MIDQUARTER,
  'checkin-request': CHECKIN_REQUEST,
  'retrospective-invitation': RETROSPECTIVE_INVITATION,
  'retrospective-reminder': RETROSPECTIVE_REMINDER,
  'retrospective-closed': RETROSPECTIVE_CLOSED,
  'report-ready': REPORT_READY,
  'member-invitation': MEMBER_INVITATION,
  'review-reminder': REVIEW_REMINDER,
  'planning-open': PLANNING_OPEN,
  'planning-digest': PLANNING_DIGEST,
  'planning-digest-coach': PLANNING_DIGEST_COACH,
  'account-confirmation': ACCOUNT_CONFIRMATION,
  'account-notice': ACCOUNT_NOTICE,
  'password-reset': PASSWORD_RESET,
};
