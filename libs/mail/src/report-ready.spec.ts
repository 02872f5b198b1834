import { MailRenderer } from './mail-renderer';
import { MAIL_LOCALES } from './template-catalogue';
import { TEMPLATE_SAMPLES } from './template-samples';

const renderer = new MailRenderer();
const CONSOLE = 'https://luotsi.example.fi/app/rollouts/3c9d51b7/readiness';
const SHARE = 'https://luotsi.example.fi/s/s_abc';

const readiness = (account: boolean) => ({
  ...TEMPLATE_SAMPLES['report-ready'],
  links: account ? { action: SHARE, console: CONSOLE } : { action: SHARE },
  report: { readiness: true, account },
});

/** What each language says to a sponsor without an account: ask the coach for an invitation. */
const ASK_FOR_INVITATION = {
  fi: /pyydä valmentajalta kutsu/,
  sv: /be coachen om en inbjudan/,
  en: /ask your coach for an invitation/,
};

describe('the readiness mail says only what the sponsor can do', () => {
  it.each(MAIL_LOCALES)('%s: a sponsor with an account is sent to the console to decide', (locale) => {
    const mail = renderer.render('report-ready', locale, readiness(true));
    expect(mail.html).toContain(`href="${CONSOLE}"`);
    expect(mail.html).toContain(`href="${SHARE}"`);
    expect(mail.text).not.toMatch(ASK_FOR_INVITATION[locale]);
  });

  it.each(MAIL_LOCALES)('%s: a sponsor without one is told how to get one, not where to decide', (locale) => {
    const mail = renderer.render('report-ready', locale, readiness(false));
    expect(mail.html).not.toContain('/app/');
    expect(mail.html).toContain(`href="${SHARE}"`);
    expect(mail.text).toMatch(ASK_FOR_INVITATION[locale]);
    expect(mail.text).not.toMatch(/record your decision|kirjaa päätös|registrera beslutet/i);
  });
});
