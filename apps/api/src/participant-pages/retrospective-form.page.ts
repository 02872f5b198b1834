import { compileFormPage, FORM_STYLE, FormPage, FormPages } from './participant-page';
import type { Locale } from '@luotsi/database';
import { FormContext, LIKERT_LABELS, Question, scaleLabels } from '@luotsi/domain';
import { RETROSPECTIVE_REFUSALS, RETROSPECTIVE_TEXTS } from './retrospective.texts';

const STYLE = `${FORM_STYLE}
.note{background:#eef5fb;border-left:4px solid #0b5cad;padding:.5rem .75rem}
fieldset,.question{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
legend,label.text{font-weight:600;margin-bottom:.5rem;display:block;padding:0}
.options.vertical{flex-direction:column}
`;

const page = compileFormPage({
  style: STYLE,
  lead: '<p class="note">{{anonymityNote}}</p>',
  fields: `{{#each items}}
{{#if isText}}<div class="question{{#if error}} has-error{{/if}}">
<label class="text" for="{{id}}">{{legend}} <span class="req">({{requirement}})</span></label>
{{#if error}}<p class="error" id="{{id}}-error">{{error}}</p>{{/if}}
<textarea id="{{id}}" name="{{key}}" rows="4" maxlength="2000"{{#if error}} aria-invalid="true" aria-describedby="{{id}}-error"{{/if}}>{{value}}</textarea>
</div>
{{else}}<fieldset class="question{{#if error}} has-error{{/if}}"{{#if describedBy}} aria-describedby="{{describedBy}}"{{/if}}>
<legend>{{legend}} <span class="req">({{requirement}})</span></legend>
{{#if hint}}<p class="hint" id="{{id}}-hint">{{hint}}</p>{{/if}}
{{#if error}}<p class="error" id="{{id}}-error">{{error}}</p>{{/if}}
<div class="options {{layout}}">
{{#each options}}<label class="option" for="{{id}}"><input type="radio" id="{{id}}" name="{{name}}" value="{{value}}"{{#if checked}} checked{{/if}}{{#if invalid}} aria-invalid="true"{{/if}}><span>{{label}}</span></label>
{{/each}}</div>
</fieldset>
{{/if}}
{{/each}}`,
});

/** The retrospective form: fieldsets and labels for screen readers, an error summary, no JavaScript. */
export function renderRetrospectiveForm({
  token,
  form,
  values = {},
  issues = [],
}: FormPage<FormContext>): string {
  const locale = form.locale;
  const t = RETROSPECTIVE_TEXTS[locale];
  const errorOf = new Map(issues.map((i) => [i.field, i.reason]));
  const items = form.questions.map((q) => item(q, locale, values[q.key] ?? '', errorOf.get(q.key)));
  return page(
    {
      path: `/r/${token}`,
      locale,
      texts: RETROSPECTIVE_TEXTS,
      intro: t.intro(form.pilotName, form.quarterLabel),
      submitLabel: form.previous ? t.update : t.submit,
      issues,
      targetOf: (field) => {
        const target = items.find((it) => it.key === field);
        return target && { target: target.firstControl, label: target.legend };
      },
    },
    { anonymityNote: t.anonymity[form.anonymity], items },
  );
}

/**
 * The retrospective's pages: the form opens with the person's earlier answers, and one tap in the email
 * (`?q=…&a=…`) fills that answer in (it submits nothing). Confidential and named answers may be changed
 * until the run closes, which the thanks say.
 */
export const RETROSPECTIVE_PAGES: FormPages<FormContext> = {
  texts: RETROSPECTIVE_TEXTS,
  refusals: RETROSPECTIVE_REFUSALS,
  render: renderRetrospectiveForm,
  opening: (form, { q: tapped, a: answer }) => {
    const values = toStrings(form.previous);
    if (
      typeof tapped === 'string' &&
      typeof answer === 'string' &&
      form.questions.some((q) => q.key === tapped)
    ) {
      values[tapped] = answer.slice(0, 100);
    }
    return values;
  },
  afterThanks: (form) => {
    if (form.anonymity === 'anonymous') return [];
    const date = new Intl.DateTimeFormat(form.locale, { dateStyle: 'long', timeZone: 'UTC' });
    return [RETROSPECTIVE_TEXTS[form.locale].changeUntil(date.format(form.closesAt))];
  },
};

function toStrings(answers: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers ?? {})
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}

function item(q: Question, locale: Locale, value: string, error: string | undefined) {
  const t = RETROSPECTIVE_TEXTS[locale];
  const id = `q-${q.key}`;
  const base = {
    key: q.key,
    id,
    legend: q.text[locale],
    requirement: q.required ? t.required : t.optional,
    error,
  };
  if (q.type === 'free_text') return { ...base, isText: true, value, firstControl: id };
  const choices =
    q.type === 'single_choice'
      ? (q.options ?? []).map((o) => ({ value: o.key, label: o.text[locale] }))
      : q.type === 'likert5'
        ? LIKERT_LABELS[locale].map((label, i) => ({ value: String(i + 1), label }))
        : Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }));
  const ends = scaleLabels(q, locale);
  const hint = ends ? `0 = ${ends.low}, 10 = ${ends.high}` : null;
  const options = choices.map((c) => ({
    ...c,
    id: `${id}-${c.value}`,
    name: q.key,
    checked: c.value === value,
    invalid: Boolean(error),
  }));
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return {
    ...base,
    isText: false,
    hint,
    describedBy,
    layout: q.type === 'scale10' || q.type === 'nps' ? 'scale' : 'vertical',
    options,
    firstControl: options[0]?.id ?? id,
  };
}
