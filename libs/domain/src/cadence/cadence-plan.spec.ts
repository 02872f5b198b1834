import { TEMPLATE_NAMES } from '@luotsi/mail';
import { validate } from './cadence.service';
import type { CadenceStepPlan } from './default-cadence';

const SET = '3f0c7a52-9c61-4d0e-8a53-2b7f5d6a1e90';
const choices = { templates: TEMPLATE_NAMES, questionSets: ['builtin:end-of-quarter', SET] };

const prompt: CadenceStepPlan = {
  key: 'kickoff',
  kind: 'prompt',
  anchor: 'start',
  offsetDays: 0,
  sendTime: '09:00',
  template: 'prompt-kickoff',
  audience: 'participants',
};
const open: CadenceStepPlan = {
  key: 'retrospective-open',
  kind: 'retrospective_open',
  anchor: 'end',
  offsetDays: -14,
  sendTime: '09:00',
  template: 'retrospective-invitation',
  audience: 'participants',
};

/** The issues of a one-step plan, as `field: reason`. */
const issuesOf = (step: Partial<CadenceStepPlan> & Record<string, unknown>, base = prompt) =>
  validate({ steps: [{ ...base, ...step } as CadenceStepPlan] }, choices).map(
    (i) => `${i.field}: ${i.reason}`,
  );

describe('a cadence step’s audience, texts and retrospective', () => {
  it('accepts a level audience with its level, and non-responders on a prompt', () => {
    expect(issuesOf({ audience: 'level', audienceLevel: 'board' })).toEqual([]);
    expect(issuesOf({ audience: 'non_responders' })).toEqual([]);
  });

  it('wants the level of a level audience, and no level for any other audience', () => {
    expect(issuesOf({ audience: 'level' })).toEqual([
      'steps[0].audienceLevel: one of board, management, staff, volunteers',
    ]);
    expect(issuesOf({ audience: 'level', audienceLevel: 'interns' as never })).toHaveLength(1);
    expect(issuesOf({ audienceLevel: 'staff' })).toEqual([
      'steps[0].audienceLevel: only for the audience "level"',
    ]);
  });

  it('refuses picking participants on steps whose run decides who is asked', () => {
    expect(issuesOf({ audience: 'non_responders' }, open)).toEqual([
      'steps[0].audience: "non_responders" suits only steps of kind prompt, checkin_request, retrospective_close',
    ]);
  });

  it('checks a step’s own texts like a template override, per language', () => {
    expect(
      issuesOf({
        texts: {
          sv: { subject: 'Hej {{recipient.firstName}}', body: '<p>Kvartalet {{quarter.label}} börjar.</p>' },
        },
      }),
    ).toEqual([]);
    const issues = issuesOf({
      texts: {
        sv: { subject: 'Hej {{recipient.password}}', body: '<p>Hej</p>' },
        fi: { subject: 'Hei', body: '<p>{{{recipient.name}}}</p>' },
      },
    });
    expect(issues.map((i) => i.split(':')[0])).toEqual([
      'steps[0].texts.sv.subject',
      'steps[0].texts.fi.body',
    ]);
    expect(issues[0]).toContain('recipient.password');
  });

  it('wants at least one known language, each with a subject and a body', () => {
    expect(issuesOf({ texts: {} })).toEqual(['steps[0].texts: at least one of fi, sv, en']);
    expect(issuesOf({ texts: { de: { subject: 'Hallo', body: '<p>Hallo</p>' } } as never })).toEqual([
      'steps[0].texts.de: not a language; one of fi, sv, en',
    ]);
    expect(issuesOf({ texts: { en: { subject: '', body: '<p>Hi</p>' } } })).toEqual([
      'steps[0].texts.en.subject: must not be empty',
    ]);
  });

  it('takes the retrospective a retrospective_open step opens: a known set, a mode, k of at least 3', () => {
    expect(
      issuesOf({ retrospective: { questionSetId: SET, anonymity: 'confidential', minGroupSize: 4 } }, open),
    ).toEqual([]);
    expect(
      issuesOf(
        {
          retrospective: { questionSetId: 'a-set-of-another', anonymity: 'secret' as never, minGroupSize: 2 },
        },
        open,
      ),
    ).toEqual([
      'steps[0].retrospective.questionSetId: unknown question set "a-set-of-another"',
      'steps[0].retrospective.anonymity: one of anonymous, confidential, named',
      'steps[0].retrospective.minGroupSize: a whole number from 3 to 100',
    ]);
    expect(issuesOf({ retrospective: { questionSetId: SET, anonymity: 'named', minGroupSize: 5 } })).toEqual([
      'steps[0].retrospective: only on a retrospective_open step',
    ]);
  });
});
