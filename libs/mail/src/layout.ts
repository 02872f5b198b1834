import Handlebars from 'handlebars';
import type { MailAudience, MailLocale } from './template-catalogue';

/**
 * The one layout every message is rendered into: the header (whose mail this is), the body, and the
 * footer (why the person gets it, and for participants the way out). Tables and inline styles only, as
 * mail clients drop <style> blocks; the content column is at most 600px wide and fluid below that.
 */
const FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const ACCENT = '#0b5c6b';

export const LAYOUT = `<!DOCTYPE html>
<html lang="{{@locale}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{{@subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f2f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f2f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:20px 28px 16px;border-bottom:3px solid ${ACCENT};font-family:${FONT};font-size:15px;font-weight:bold;color:${ACCENT};">{{> header}}</td></tr>
<tr><td style="padding:16px 28px 8px;font-family:${FONT};font-size:16px;line-height:1.6;color:#1f2a30;">{{> body}}</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #dde3e6;font-family:${FONT};font-size:13px;line-height:1.5;color:#56636b;">{{> footer}}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

/** Participants and coaches see the client organisation; an invited member sees the workspace. */
export const HEADERS: Record<MailAudience, string> = {
  participant: '{{organization.name}}',
  coach: '{{organization.name}}',
  member: '{{workspace.name}}',
  account: 'Luotsi',
};

const unsubscribe = (label: string) =>
  `<a href="{{links.unsubscribe}}" style="color:#56636b;text-decoration:underline;">${label}</a>`;

// Names stay in the nominative (apposition, parentheses), so no Finnish case ending is ever needed.
export const FOOTERS: Record<MailLocale, Record<MailAudience, string>> = {
  fi: {
    participant:
      '<p>Saat tämän viestin, koska olet mukana OKR-pilotissa {{pilot.name}} ({{organization.name}}).' +
      '{{#if coach}} Pilottia valmentaa {{coach.name}}.{{/if}}</p>' +
      `<p>Etkö halua enää näitä viestejä? ${unsubscribe('Lopeta viestit')}</p>`,
    coach:
      '<p>Saat tämän viestin, koska olet OKR-pilotin {{pilot.name}} ({{organization.name}}) valmentaja.</p>',
    member:
      '<p>Saat tämän viestin, koska {{inviter.name}} kutsui sinut Luotsin työtilaan {{workspace.name}}. ' +
      'Jos et odottanut kutsua, voit jättää viestin huomiotta: tiliä ei luoda ilman sinua.</p>',
    account:
      '<p>Saat tämän viestin, koska tätä osoitetta käytettiin Luotsin tilillä. ' +
      'Jos se et ollut sinä, voit jättää viestin huomiotta.</p>',
  },
  sv: {
    participant:
      '<p>Du får det här meddelandet eftersom du är med i OKR-piloten {{pilot.name}} ({{organization.name}}).' +
      '{{#if coach}} Pilotens coach är {{coach.name}}.{{/if}}</p>' +
      `<p>Vill du inte längre få de här meddelandena? ${unsubscribe('Avsluta utskicken')}</p>`,
    coach:
      '<p>Du får det här meddelandet eftersom du är coach för OKR-piloten {{pilot.name}} ({{organization.name}}).</p>',
    member:
      '<p>Du får det här meddelandet eftersom {{inviter.name}} bjöd in dig till arbetsytan {{workspace.name}} i Luotsi. ' +
      'Om du inte väntade dig inbjudan kan du bortse från den: inget konto skapas utan dig.</p>',
    account:
      '<p>Du får det här meddelandet eftersom den här adressen användes för ett konto i Luotsi. ' +
      'Om det inte var du kan du bortse från meddelandet.</p>',
  },
  en: {
    participant:
      '<p>You are receiving this because you are part of the OKR pilot {{pilot.name}} ({{organization.name}}).' +
      '{{#if coach}} Your pilot is coached by {{coach.name}}.{{/if}}</p>' +
      `<p>No longer want these emails? ${unsubscribe('Unsubscribe')}</p>`,
    coach:
      '<p>You are receiving this because you coach the OKR pilot {{pilot.name}} ({{organization.name}}).</p>',
    member:
      '<p>You are receiving this because {{inviter.name}} invited you to the {{workspace.name}} workspace in Luotsi. ' +
      'If you were not expecting it, you can ignore this email: no account is created without you.</p>',
    account:
      '<p>You are receiving this because this address was used for an account in Luotsi. ' +
      'If it was not you, you can ignore this email.</p>',
  },
};

/**
 * The call to action (`{{button links.action "…"}}`): a real link with its own text, large enough to
 * tap, styled inline because a body may use only plain tags. Only web links, never `javascript:`.
 */
export function actionButton(url: unknown, label: unknown): string {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new Error(`button: expected an http(s) link, got ${JSON.stringify(url)}`);
  }
  if (typeof label !== 'string' || !label.trim()) throw new Error('button: expected a label');
  const href = Handlebars.escapeExpression(url);
  const text = Handlebars.escapeExpression(label);
  return (
    `<p style="margin:24px 0;"><a href="${href}" style="display:inline-block;padding:14px 24px;` +
    `border-radius:6px;background-color:${ACCENT};color:#ffffff;font-family:${FONT};font-size:16px;` +
    `font-weight:bold;line-height:1.25;text-decoration:none;">${text}</a></p>`
  );
}

export interface QuickAnswers {
  text: string;
  answers: { label: string; url: string }[];
}

/**
 * The first question of a survey with each answer as a link: one tap opens the form with that answer
 * filled in (nothing is submitted by the tap). Escaped like everything else; only http(s) links.
 */
export function quickAnswerLinks(question: unknown): string {
  const q = question as QuickAnswers | undefined;
  if (!q || typeof q.text !== 'string' || !Array.isArray(q.answers) || !q.answers.length) {
    throw new Error('quickAnswers: expected { text, answers: [{ label, url }] }');
  }
  const links = q.answers.map(({ label, url }) => {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url))
      throw new Error('quickAnswers: expected http(s) links');
    return (
      `<a href="${Handlebars.escapeExpression(url)}" style="display:inline-block;min-width:32px;margin:0 6px 8px 0;` +
      `padding:10px 12px;border:2px solid ${ACCENT};border-radius:6px;color:${ACCENT};font-family:${FONT};` +
      `font-size:16px;font-weight:bold;text-align:center;text-decoration:none;">${Handlebars.escapeExpression(String(label))}</a>`
    );
  });
  return `<p style="margin:20px 0 8px;"><strong>${Handlebars.escapeExpression(q.text)}</strong></p><p style="margin:0 0 16px;">${links.join(' ')}</p>`;
}

/** A bulleted list of texts (e.g. the lessons a next wave's kickoff carries), each escaped. */
export function bulletList(items: unknown): string {
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string'))
    throw new Error('list: expected a list of texts');
  const rows = items.map(
    (item) => `<li style="margin:0 0 8px;">${Handlebars.escapeExpression(item as string)}</li>`,
  );
  return `<ul style="margin:0 0 16px;padding-left:24px;">${rows.join('')}</ul>`;
}
