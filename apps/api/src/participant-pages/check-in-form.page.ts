import { compileFormPage, FORM_STYLE, FormPage, FormPages } from './participant-page';
import type { Locale } from '@luotsi/database';
import { CheckInForm, CheckInKeyResult, checkInField } from '@luotsi/domain';
import { CHECK_IN_REFUSALS, CHECK_IN_TEXTS } from './check-in.texts';

const STYLE = `${FORM_STYLE}
fieldset{border:0;margin:0;padding:0;min-width:0}
fieldset.kr{border-top:2px solid #d0d5da;padding-top:.75rem;margin-bottom:1.75rem}
legend{font-weight:600;padding:0;margin-bottom:.25rem;overflow-wrap:anywhere}
.kr>legend{font-size:1.15rem}
.objective,.status{margin:.25rem 0;color:#4a5560;overflow-wrap:anywhere}
.field{margin:1rem 0}
label.text{display:block;font-weight:600;margin-bottom:.25rem}
input.number{font:inherit;width:10rem;max-width:100%;min-height:44px;padding:.5rem;border:1px solid #6b7580;border-radius:.4rem}
`;

const page = compileFormPage({
  style: STYLE,
  lead: '{{#if scoring}}<p>{{t.scoringIntro}}</p>{{/if}}',
  fields: `{{#each items}}<fieldset class="kr" aria-describedby="{{id}}-status">
<legend>{{title}}</legend>
<p class="objective">{{../t.objective}}: {{objectiveTitle}}</p>
<p class="status" id="{{id}}-status">{{status}}</p>
{{#if isMetric}}<div class="field{{#if value.error}} has-error{{/if}}">
<label class="text" for="{{value.id}}">{{../t.currentValue}}{{#if unit}} ({{unit}}){{/if}} <span class="req">({{../t.required}})</span></label>
<p class="hint" id="{{value.id}}-hint">{{../t.decimalHint}}</p>
{{#if value.error}}<p class="error" id="{{value.id}}-error">{{value.error}}</p>{{/if}}
<input class="number" type="text" inputmode="decimal" autocomplete="off" id="{{value.id}}" name="{{value.name}}" value="{{value.value}}" aria-describedby="{{value.id}}-hint{{#if value.error}} {{value.id}}-error{{/if}}"{{#if value.error}} aria-invalid="true"{{/if}}>
</div>
{{else}}<fieldset class="field{{#if done.error}} has-error{{/if}}"{{#if done.error}} aria-describedby="{{done.id}}-error"{{/if}}>
<legend>{{../t.done}} <span class="req">({{../t.required}})</span></legend>
{{#if done.error}}<p class="error" id="{{done.id}}-error">{{done.error}}</p>{{/if}}
<div class="options">
{{#each done.options}}<label class="option" for="{{id}}"><input type="radio" id="{{id}}" name="{{name}}" value="{{value}}"{{#if checked}} checked{{/if}}{{#if invalid}} aria-invalid="true"{{/if}}><span>{{label}}</span></label>
{{/each}}</div>
</fieldset>
{{/if}}
<fieldset class="field{{#if confidence.error}} has-error{{/if}}" aria-describedby="{{confidence.id}}-hint{{#if confidence.error}} {{confidence.id}}-error{{/if}}">
<legend>{{../t.confidence}} <span class="req">({{../t.required}})</span></legend>
<p class="hint" id="{{confidence.id}}-hint">{{../t.confidenceHint}}</p>
{{#if confidence.error}}<p class="error" id="{{confidence.id}}-error">{{confidence.error}}</p>{{/if}}
<div class="options scale">
{{#each confidence.options}}<label class="option" for="{{id}}"><input type="radio" id="{{id}}" name="{{name}}" value="{{value}}"{{#if checked}} checked{{/if}}{{#if invalid}} aria-invalid="true"{{/if}}><span>{{label}}</span></label>
{{/each}}</div>
</fieldset>
{{#if ../scoring}}<div class="field{{#if score.error}} has-error{{/if}}">
<label class="text" for="{{score.id}}">{{../t.score}} <span class="req">({{../t.optional}})</span></label>
<p class="hint" id="{{score.id}}-hint">{{scoreHint}}</p>
{{#if score.error}}<p class="error" id="{{score.id}}-error">{{score.error}}</p>{{/if}}
<input class="number" type="text" inputmode="decimal" autocomplete="off" id="{{score.id}}" name="{{score.name}}" value="{{score.value}}" aria-describedby="{{score.id}}-hint{{#if score.error}} {{score.id}}-error{{/if}}"{{#if score.error}} aria-invalid="true"{{/if}}>
</div>
{{/if}}<div class="field{{#if note.error}} has-error{{/if}}">
<label class="text" for="{{note.id}}">{{../t.note}} <span class="req">({{../t.optional}})</span></label>
{{#if note.error}}<p class="error" id="{{note.id}}-error">{{note.error}}</p>{{/if}}
<textarea id="{{note.id}}" name="{{note.name}}" rows="3" maxlength="1000"{{#if note.error}} aria-invalid="true" aria-describedby="{{note.id}}-error"{{/if}}>{{note.value}}</textarea>
</div>
</fieldset>
{{/each}}`,
});

/** The check-in form: one fieldset per key result, an error summary and inline errors, no JavaScript. */
export function renderCheckInForm({ token, form, values, issues = [] }: FormPage<CheckInForm>): string {
  const locale = form.locale;
  const t = CHECK_IN_TEXTS[locale];
  const errorOf = new Map(issues.map((i) => [i.field, i.reason]));
  const items = form.keyResults.map((kr) => item(kr, locale, values ?? initial(kr, locale), errorOf));
  const targets = new Map<string, { target: string; label: string }>();
  for (const it of items) {
    targets.set(checkInField('value', it.krId), {
      target: it.value.id,
      label: `${it.title} – ${t.currentValue}`,
    });
    targets.set(checkInField('done', it.krId), {
      target: `${it.done.id}-yes`,
      label: `${it.title} – ${t.done}`,
    });
    targets.set(checkInField('confidence', it.krId), {
      target: `${it.confidence.id}-0`,
      label: `${it.title} – ${t.confidence}`,
    });
    targets.set(checkInField('note', it.krId), { target: it.note.id, label: `${it.title} – ${t.note}` });
    targets.set(checkInField('score', it.krId), { target: it.score.id, label: `${it.title} – ${t.score}` });
  }
  return page(
    {
      path: `/c/${token}`,
      locale,
      texts: CHECK_IN_TEXTS,
      intro: t.intro(form.pilotName, form.quarterLabel, form.week),
      submitLabel: t.submit,
      issues,
      targetOf: (field) => targets.get(field),
    },
    { scoring: form.scoring, items },
  );
}

/** The check-in's pages: the form opens with the key results' latest state. */
export const CHECK_IN_PAGES: FormPages<CheckInForm> = {
  texts: CHECK_IN_TEXTS,
  refusals: CHECK_IN_REFUSALS,
  render: renderCheckInForm,
};

/** Progress as text: where the key result stands now, as the API computes it. */
export function statusText(kr: CheckInKeyResult, locale: Locale): string {
  const t = CHECK_IN_TEXTS[locale];
  const number = (n: number) =>
    `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n)}${kr.unit ? ` ${kr.unit}` : ''}`;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    kr.progress,
  );
  if (kr.measure === 'metric' && kr.startValue !== null && kr.targetValue !== null) {
    const where =
      kr.currentValue === null
        ? t.notStarted(number(kr.startValue), number(kr.targetValue))
        : t.now(number(kr.currentValue), number(kr.targetValue));
    return `${where} ${t.progress(percent)}`;
  }
  return t.progress(percent);
}

function initial(kr: CheckInKeyResult, locale: Locale): Record<string, string> {
  const values: Record<string, string> = {};
  if (kr.currentValue !== null)
    values[checkInField('value', kr.id)] = new Intl.NumberFormat(locale, {
      useGrouping: false,
      maximumFractionDigits: 6,
    }).format(kr.currentValue);
  if (kr.measure !== 'metric') values[checkInField('done', kr.id)] = kr.done ? 'yes' : 'no';
  if (kr.finalScore !== null)
    values[checkInField('score', kr.id)] = new Intl.NumberFormat(locale, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 2,
    }).format(kr.finalScore);
  return values;
}

function item(
  kr: CheckInKeyResult,
  locale: Locale,
  values: Record<string, string>,
  errorOf: Map<string, string>,
) {
  const t = CHECK_IN_TEXTS[locale];
  const id = `kr-${kr.id}`;
  const field = (kind: 'value' | 'done' | 'confidence' | 'note' | 'score') => ({
    id: `${kind}-${kr.id}`,
    name: checkInField(kind, kr.id),
    value: values[checkInField(kind, kr.id)] ?? '',
    error: errorOf.get(checkInField(kind, kr.id)),
  });
  const radios = (f: ReturnType<typeof field>, choices: { value: string; label: string }[]) => ({
    ...f,
    options: choices.map((c) => ({
      ...c,
      id: `${f.id}-${c.value}`,
      name: f.name,
      checked: c.value === f.value,
      invalid: Boolean(f.error),
    })),
  });
  return {
    krId: kr.id,
    id,
    title: kr.title,
    objectiveTitle: kr.objectiveTitle,
    unit: kr.unit,
    status: statusText(kr, locale),
    isMetric: kr.measure === 'metric',
    value: field('value'),
    done: radios(field('done'), [
      { value: 'yes', label: t.yes },
      { value: 'no', label: t.no },
    ]),
    confidence: radios(
      field('confidence'),
      Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) })),
    ),
    note: field('note'),
    score: field('score'),
    scoreHint: t.scoreHint(kr.kind),
  };
}
