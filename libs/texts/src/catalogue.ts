import type { Resource } from 'i18next';
import enCommon from './locales/en/common.json';
import fiCommon from './locales/fi/common.json';
import svCommon from './locales/sv/common.json';
import enConsole from './locales/en/console.json';
import fiConsole from './locales/fi/console.json';
import svConsole from './locales/sv/console.json';
import enSetup from './locales/en/setup.json';
import fiSetup from './locales/fi/setup.json';
import svSetup from './locales/sv/setup.json';
import enPilot from './locales/en/pilot.json';
import fiPilot from './locales/fi/pilot.json';
import svPilot from './locales/sv/pilot.json';
import enReports from './locales/en/reports.json';
import fiReports from './locales/fi/reports.json';
import svReports from './locales/sv/reports.json';
import enReport from './locales/en/report.json';
import fiReport from './locales/fi/report.json';
import svReport from './locales/sv/report.json';
import enParticipants from './locales/en/participants.json';
import fiParticipants from './locales/fi/participants.json';
import svParticipants from './locales/sv/participants.json';
import enCadence from './locales/en/cadence.json';
import fiCadence from './locales/fi/cadence.json';
import svCadence from './locales/sv/cadence.json';
import enParticipant from './locales/en/participant.json';
import fiParticipant from './locales/fi/participant.json';
import svParticipant from './locales/sv/participant.json';
import enOwner from './locales/en/owner.json';
import fiOwner from './locales/fi/owner.json';
import svOwner from './locales/sv/owner.json';

/**
 * One catalogue per language, split by namespace: `common` (words every page uses), `console` (the
 * console's frame, sign-in and home), `setup` (organizations, rollouts, creating pilots), `participants` (lists and imports), `cadence` (the
 * quarter's calendar and mail previews),
 * `pilot` (a pilot during its quarter), `reports` (the console's report pages and decisions), `report` (the reports themselves: page, PDF,
 * CSV headers, flags and gate verdicts), `owner` (members, templates,
 * webhooks, audit), `participant` (the pages people without an account see: retrospective, check-in,
 * unsubscribe, and their refusals).
 */
export const NAMESPACES = [
  'common',
  'console',
  'setup',
  'participants',
  'cadence',
  'pilot',
  'reports',
  'report',
  'owner',
  'participant',
] as const;

export const CATALOGUE: Resource = {
  en: {
    common: enCommon,
    console: enConsole,
    setup: enSetup,
    participants: enParticipants,
    cadence: enCadence,
    pilot: enPilot,
    reports: enReports,
    report: enReport,
    owner: enOwner,
    participant: enParticipant,
  },
  fi: {
    common: fiCommon,
    console: fiConsole,
    setup: fiSetup,
    participants: fiParticipants,
    cadence: fiCadence,
    pilot: fiPilot,
    reports: fiReports,
    report: fiReport,
    owner: fiOwner,
    participant: fiParticipant,
  },
  sv: {
    common: svCommon,
    console: svConsole,
    setup: svSetup,
    participants: svParticipants,
    cadence: svCadence,
    pilot: svPilot,
    reports: svReports,
    report: svReport,
    owner: svOwner,
    participant: svParticipant,
  },
};
