import type { MailLocale } from '../template-catalogue';

/**
 * What the retrospective promises about who sees the answers, per anonymity mode. No fallback branch:
 * a missing mode says nothing rather than promise the wrong thing.
 */
export const ANONYMITY_NOTE: Record<MailLocale, string> = {
  fi: `{{#if (eq retrospective.anonymity "anonymous")}}<p><em>Kysely on nimetön: vastauksiasi ei voi yhdistää sinuun, ja tulokset näytetään vain ryhmätasolla.</em></p>
{{else if (eq retrospective.anonymity "confidential")}}<p><em>Vastauksesi käsitellään luottamuksellisesti: niitä ei koskaan näytetä nimelläsi, ja tulokset näytetään vain ryhmätasolla.</em></p>
{{else if (eq retrospective.anonymity "named")}}<p><em>Vastaat omalla nimelläsi, jotta valmentaja voi palata ajatuksiisi kanssasi.</em></p>
{{/if}}`,
  sv: `{{#if (eq retrospective.anonymity "anonymous")}}<p><em>Enkäten är anonym: dina svar kan inte kopplas till dig, och resultaten visas bara på gruppnivå.</em></p>
{{else if (eq retrospective.anonymity "confidential")}}<p><em>Dina svar behandlas konfidentiellt: de visas aldrig med ditt namn, och resultaten redovisas bara på gruppnivå.</em></p>
{{else if (eq retrospective.anonymity "named")}}<p><em>Du svarar med ditt namn, så att coachen kan återkomma till dina tankar tillsammans med dig.</em></p>
{{/if}}`,
  en: `{{#if (eq retrospective.anonymity "anonymous")}}<p><em>The survey is anonymous: your answers cannot be linked to you, and results are shown only for the group.</em></p>
{{else if (eq retrospective.anonymity "confidential")}}<p><em>Your answers are confidential: they are never shown with your name, and results are reported only for the group.</em></p>
{{else if (eq retrospective.anonymity "named")}}<p><em>You answer under your own name, so that your coach can follow up on your thoughts with you.</em></p>
{{/if}}`,
};
