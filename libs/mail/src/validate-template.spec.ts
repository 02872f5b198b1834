import { MAIL_LOCALES, TEMPLATE_NAMES } from './template-catalogue';
import { TEMPLATE_CONTENT } from './templates';
import { validateTemplate } from './validate-template';

const body = (text: string) =>
  validateTemplate('prompt-kickoff', { subject: 'Hei {{recipient.firstName}}', body: text });
const reasons = (text: string) => body(text).map((issue) => issue.reason);

describe('validateTemplate', () => {
  it.each(TEMPLATE_NAMES.flatMap((name) => MAIL_LOCALES.map((locale) => [name, locale] as const)))(
    'accepts the built-in %s (%s)',
    (name, locale) => {
      expect(validateTemplate(name, TEMPLATE_CONTENT[name][locale])).toEqual([]);
    },
  );

  it('accepts a valid override', () => {
    expect(
      validateTemplate('checkin-request', {
        subject: 'Viikko {{quarter.week}} – {{pilot.name}}',
        body: `<h2>Hei {{recipient.firstName}}</h2>
<p>Miten menee? {{#if coach}}Terveisin <em>{{coach.name}}</em>{{else}}Terveisin{{/if}}</p>
{{!-- the link is optional for check-ins --}}
{{#if links.action}}<p><a href="{{links.action}}">Vastaa</a></p>{{/if}}
{{#unless (eq quarter.weeksLeft 0)}}<ul><li>{{quarter.weeksLeft}}</li></ul>{{/unless}}`,
      }),
    ).toEqual([]);
  });

  it('names an unknown variable and lists the allowed ones', () => {
    const issues = body('<p>{{recipient.password}}</p><p>{{recipient.password}}</p>');
    expect(issues).toEqual([
      {
        field: 'body',
        reason: expect.stringMatching(/^unknown variable "recipient.password"; allowed: recipient.name, /),
      },
    ]);
    expect(reasons('{{links.action}}')[0]).toMatch(/unknown variable "links.action"/);
    expect(reasons('{{#if retrospective.anonymity}}x{{/if}}')[0]).toMatch(
      /unknown variable "retrospective.anonymity"/,
    );
    expect(
      validateTemplate('member-invitation', {
        subject: '{{links.unsubscribe}}',
        body: '{{button links.action "Go"}}',
      }),
    ).toEqual([{ field: 'subject', reason: expect.stringMatching(/^unknown variable "links.unsubscribe"/) }]);
  });

  it('refuses unescaped output', () => {
    expect(reasons('<p>{{{recipient.name}}}</p>')).toEqual([expect.stringMatching(/^unescaped output/)]);
    expect(reasons('<p>{{& recipient.name}}</p>')).toEqual([expect.stringMatching(/^unescaped output/)]);
  });

  it('reports a syntax error on its field', () => {
    expect(body('<p>{{#if coach}}{{coach.name}}</p>')).toEqual([
      { field: 'body', reason: expect.stringMatching(/^syntax error: Parse error on line 1/) },
    ]);
    expect(
      validateTemplate('prompt-kickoff', { subject: 'Hei {{recipient.firstName', body: '<p>x</p>' }),
    ).toEqual([{ field: 'subject', reason: expect.stringMatching(/^syntax error/) }]);
    expect(reasons('{{#if coach}}x{{/unless}}')).toEqual([
      expect.stringMatching(/^syntax error: if doesn't match unless/),
    ]);
  });

  it('requires the variables a template cannot do without', () => {
    const issues = validateTemplate('retrospective-invitation', {
      subject: 'Retrospektiivi',
      body: '<p>Hei {{recipient.firstName}}, vastaa pian!</p>',
    });
    expect(issues).toEqual([
      { field: 'body', reason: expect.stringMatching(/^missing required variable "links.action"/) },
    ]);
    // Testing it is not using it.
    expect(
      validateTemplate('report-ready', {
        subject: 'Raportti',
        body: '{{#if links.action}}<p>Valmis</p>{{/if}}',
      }),
    ).toEqual([
      { field: 'body', reason: expect.stringMatching(/^missing required variable "links.action"/) },
    ]);
  });

  it('refuses helpers outside the set, partials and other ways around the variable list', () => {
    expect(reasons('{{#each recipient}}{{this}}{{/each}}')).toEqual([
      'unknown helper "each"; allowed: if, unless, eq, date, button, quickAnswers, list',
      expect.stringMatching(/^unknown variable "recipient"; allowed/),
      '"this" is not allowed; name a variable',
    ]);
    expect(reasons('{{lookup recipient "name"}}')[0]).toMatch(/^unknown helper "lookup"/);
    expect(reasons('{{> footer}}')).toEqual(['partials are not allowed ({{> footer}})']);
    expect(reasons('{{#> layout}}x{{/layout}}')).toEqual(['partials are not allowed ({{> layout}})']);
    expect(reasons('{{@root.recipient.name}}')[0]).toMatch(/^data variables/);
    expect(reasons('{{#if coach}}{{../recipient.name}}{{/if}}')[0]).toMatch(/^parent paths/);
    expect(reasons('{{#coach}}{{name}}{{/coach}}')[0]).toMatch(
      /^sections such as \{\{#coach\}\} are not supported/,
    );
    expect(reasons('{{coach}}')[0]).toMatch(/"coach" is a group of values/);
    expect(reasons('{{date}}')).toEqual(['"date" takes 1 argument, got 0']);
    expect(reasons('{{#date quarter.endsOn}}x{{/date}}')).toEqual([
      '"date" is not a block helper; write {{date …}}',
    ]);
    expect(reasons('{{#if coach includeZero=true}}x{{/if}}')).toEqual([
      'named arguments (includeZero) are not supported',
    ]);
  });

  it('allows only plain tags and web links in the body', () => {
    expect(
      reasons('<p><a href="{{links.unsubscribe}}">pois</a> <a href="mailto:aino@example.fi">Aino</a></p>'),
    ).toEqual([]);
    expect(reasons('<img src="x" onerror="alert(1)">')).toEqual([
      'tag <img> is not allowed; use p, strong, em, ul, ol, li, a, h2',
      'attribute "src" on <img> is not allowed',
      'attribute "onerror" on <img> is not allowed',
    ]);
    expect(reasons('<p style="color:red">x</p>')).toEqual(['attribute "style" on <p> is not allowed']);
    expect(reasons('<a href="javascript:alert(1)">x</a>')).toEqual([
      'link "javascript:alert(1)" must start with https:, http: or mailto:',
    ]);
    expect(reasons('<script>alert(1)</script>')).toContain(
      'tag <script> is not allowed; use p, strong, em, ul, ol, li, a, h2',
    );
    expect(reasons('<p>1 < 2</p><!-- <img> -->')).toEqual([]);
  });

  it("lets a link hold no variable but one of the template's link variables", () => {
    // prompt-kickoff's link variables: links.unsubscribe, and links.okrs (the quarter's final set).
    const only = 'may only be one of the link variables: {{links.unsubscribe}}, {{links.okrs}}';
    expect(reasons('<a href="{{links.unsubscribe}}">pois</a>')).toEqual([]);
    expect(reasons('<a href="{{ links.unsubscribe }}">pois</a>')).toEqual([]);
    expect(reasons('<a href="https://example.fi/ohje">ohje</a>')).toEqual([]);
    expect(reasons('<a href="{{recipient.name}}">x</a>')).toEqual([`link "{{recipient.name}}" ${only}`]);
    expect(reasons('<a href="https://evil.example/?n={{recipient.firstName}}">x</a>')).toEqual([
      `link "https://evil.example/?n={{recipient.firstName}}" ${only}`,
    ]);
    expect(reasons('<a href="{{links.unsubscribe}}{{pilot.name}}">x</a>')).toEqual([
      `link "{{links.unsubscribe}}{{pilot.name}}" ${only}`,
    ]);
    expect(reasons('<a href="https://x.example/{{links.unsubscribe}}">x</a>')).toEqual([
      `link "https://x.example/{{links.unsubscribe}}" ${only}`,
    ]);
    expect(reasons('<a href="{{#if coach}}{{links.unsubscribe}}{{/if}}">x</a>')).toEqual([
      `link "{{#if coach}}{{links.unsubscribe}}{{/if}}" ${only}`,
    ]);
    // A variable as the whole address must still be a link: a name is not one.
    expect(reasons('<a href="{{organization.name}}">x</a>')).toEqual([
      `link "{{organization.name}}" ${only}`,
    ]);
    // In a template with an action link, that one is allowed too.
    expect(
      validateTemplate('checkin-request', {
        subject: 'x',
        body: '<p><a href="{{links.action}}">a</a> <a href="{{coach.name}}">b</a></p>',
      }),
    ).toEqual([
      {
        field: 'body',
        reason:
          'link "{{coach.name}}" may only be one of the link variables: {{links.unsubscribe}}, {{links.action}}',
      },
    ]);
  });

  it('limits lengths, keeps the subject on one line, and knows its templates', () => {
    const long = validateTemplate('prompt-kickoff', { subject: 'x'.repeat(201), body: 'x'.repeat(20_001) });
    expect(long).toEqual([
      { field: 'subject', reason: 'must be at most 200 characters, got 201' },
      { field: 'body', reason: 'must be at most 20000 characters, got 20001' },
    ]);
    expect(
      validateTemplate('prompt-kickoff', { subject: 'x'.repeat(200), body: 'x'.repeat(20_000) }),
    ).toEqual([]);
    expect(
      validateTemplate('prompt-kickoff', { subject: 'Hei\r\nBcc: x@example.com', body: '<p>x</p>' }),
    ).toEqual([{ field: 'subject', reason: 'must be a single line' }]);
    expect(validateTemplate('prompt-kickoff', { subject: ' ', body: '' })).toEqual([
      { field: 'subject', reason: 'must not be empty' },
      { field: 'body', reason: 'must not be empty' },
    ]);
    expect(validateTemplate('nope', { subject: 'x', body: 'x' })).toEqual([
      { field: 'name', reason: 'unknown template "nope"' },
    ]);
  });
});
