import type { TemplateDataMap } from './template-data';

/**
 * Mail speaks exactly the product's languages. Written here, since the mail library knows no database;
 * a domain spec checks that they are the vocabulary's `LOCALES` (templates/mail-locales.spec.ts).
 */
export const MAIL_LOCALES = ['fi', 'sv', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const TEMPLATE_NAMES = [
  'prompt-kickoff',
  'prompt-midquarter',
  'checkin-request',
  'retrospective-invitation',
  'retrospective-reminder',
  'retrospective-closed',
  'report-ready',
  'member-invitation',
  'review-reminder',
  'planning-open',
  'planning-digest',
  'planning-digest-coach',
] as const satisfies readonly (keyof TemplateDataMap)[];
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/**
 * The account's own mail (address confirmation, a notice to an existing account, password reset): sent
 * by Luotsi itself to a person about their login, never chosen for a cadence step nor overridden by a
 * workspace, so they are kept apart from the templates above.
 */
export const ACCOUNT_TEMPLATE_NAMES = [
  'account-confirmation',
  'account-notice',
  'password-reset',
] as const satisfies readonly (keyof TemplateDataMap)[];
export type AccountTemplateName = (typeof ACCOUNT_TEMPLATE_NAMES)[number];

/** Every built-in template: the ones a workspace may edit and the account's own. */
export const MAIL_TEMPLATE_NAMES = [...TEMPLATE_NAMES, ...ACCOUNT_TEMPLATE_NAMES] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

export type TemplateData<N extends MailTemplateName = MailTemplateName> = TemplateDataMap[N];

/** Who reads it; decides the footer (why you get this) and whether there is an unsubscribe link. */
export type MailAudience = 'participant' | 'coach' | 'member' | 'account';

/** A template's subject and Handlebars HTML body, built in or a workspace's override. */
export interface TemplateContent {
  subject: string;
  body: string;
}

export interface TemplateDefinition {
  description: string;
  audience: MailAudience;
  /** Every variable path the template may use; anything else is refused in an override. */
  variables: readonly string[];
  /** Variables the body must output: without them the recipient could not act on the message. */
  required: readonly string[];
}

/** The person a mail is to. */
const RECIPIENT = ['recipient.name', 'recipient.firstName'] as const;

/** The pilot quarter a mail is about. */
const PILOT_QUARTER = [
  'organization.name',
  'pilot.name',
  'pilot.waveNumber',
  'quarter.label',
  'quarter.number',
] as const;

const PARTICIPANT_VARIABLES = [
  ...RECIPIENT,
  ...PILOT_QUARTER,
  'quarter.week',
  'quarter.weeksLeft',
  'quarter.endsOn',
  'coach',
  'coach.name',
  'links.unsubscribe',
] as const;

/** The invitation to a retrospective and its reminder. */
const RETROSPECTIVE_VARIABLES = [
  ...PARTICIPANT_VARIABLES,
  'links.action',
  'retrospective.anonymity',
  'firstQuestion',
] as const;

export const TEMPLATE_CATALOGUE: Record<MailTemplateName, TemplateDefinition> = {
  'prompt-kickoff': {
    description:
      "Week 1: the quarter's three starting questions, to bring to the team's OKR planning; in a next wave's first quarter, the lessons the coach marked for it.",
    audience: 'participant',
    variables: [...PARTICIPANT_VARIABLES, 'lessons', 'links.okrs'],
    required: [],
  },
  'prompt-midquarter': {
    description: 'Mid-quarter (week 6): are the key results still right, what blocks, how confidence moves.',
    audience: 'participant',
    variables: PARTICIPANT_VARIABLES,
    required: [],
  },
  'checkin-request': {
    description: "Weekly: this week's confidence (0–10) and progress on the key results.",
    audience: 'participant',
    variables: [...PARTICIPANT_VARIABLES, 'links.action', 'checkIn.scoring'],
    required: [],
  },
  'retrospective-invitation': {
    description: 'Two weeks before the quarter ends: the invitation to the retrospective.',
    audience: 'participant',
    variables: RETROSPECTIVE_VARIABLES,
    required: ['links.action'],
  },
  'retrospective-reminder': {
    description: 'A reminder of the open retrospective, to those who have not answered.',
    audience: 'participant',
    variables: RETROSPECTIVE_VARIABLES,
    required: ['links.action'],
  },
  'retrospective-closed': {
    description: 'At close: thanks, and what happens to the answers next.',
    audience: 'participant',
    variables: PARTICIPANT_VARIABLES,
    required: [],
  },
  'report-ready': {
    description:
      "To the coach: the pilot's learning report for the quarter is ready; to sponsors: the rollout's readiness report.",
    audience: 'coach',
    variables: [
      'report.readiness',
      'report.account',
      ...RECIPIENT,
      ...PILOT_QUARTER,
      'links.action',
      'links.console',
    ],
    required: ['links.action'],
  },
  'member-invitation': {
    description: 'An invitation to join a workspace as owner, coach or sponsor.',
    audience: 'member',
    variables: [...RECIPIENT, 'inviter.name', 'workspace.name', 'role', 'links.action'],
    required: ['links.action'],
  },
  'review-reminder': {
    description:
      "To the coach, once a quarter: the quarter ended and the pilot waits for the coach's review (asked for, or its last quarter).",
    audience: 'coach',
    variables: [...RECIPIENT, ...PILOT_QUARTER, 'quarter.endsOn'],
    required: [],
  },
  'planning-open': {
    description:
      'Two weeks before the next quarter, when it has draft OKRs: a personal link to comment on them, propose a rewording or offer to own one.',
    audience: 'participant',
    variables: [...PARTICIPANT_VARIABLES, 'links.action', 'planning.quarterLabel', 'planning.closesOn'],
    required: ['links.action'],
  },
  'planning-digest': {
    description:
      'At most once a day while the drafts are discussed, only when there is something new: what others wrote the day before on the drafts the participant commented on or owns.',
    audience: 'participant',
    variables: [
      ...PARTICIPANT_VARIABLES,
      'links.action',
      'planning.quarterLabel',
      'planning.day',
      'planning.closesOn',
      'digest.items',
      'digest.count',
    ],
    required: ['links.action'],
  },
  'planning-digest-coach': {
    description:
      "To the pilot's coach, once a day while the drafts are discussed and only when something was written: everything written on the drafts the day before.",
    audience: 'coach',
    variables: [
      ...RECIPIENT,
      ...PILOT_QUARTER,
      'links.action',
      'planning.quarterLabel',
      'planning.day',
      'planning.closesOn',
      'digest.items',
      'digest.count',
      'digest.people',
    ],
    required: ['links.action'],
  },
  'account-confirmation': {
    description: "After sign-up: the link that confirms the owner's address and signs them in.",
    audience: 'account',
    variables: [...RECIPIENT, 'workspace.name', 'links.action'],
    required: ['links.action'],
  },
  'account-notice': {
    description: 'A sign-up with an address that already has an account: sign in, or reset the password.',
    audience: 'account',
    variables: [...RECIPIENT, 'links.signIn', 'links.reset'],
    required: ['links.signIn', 'links.reset'],
  },
  'password-reset': {
    description: 'The single-use link that sets a new password.',
    audience: 'account',
    variables: [...RECIPIENT, 'links.action'],
    required: ['links.action'],
  },
};

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}

export function isMailTemplateName(value: string): value is MailTemplateName {
  return (MAIL_TEMPLATE_NAMES as readonly string[]).includes(value);
}

export function isMailLocale(value: string): value is MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(value);
}
