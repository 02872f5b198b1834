import Handlebars from 'handlebars';
import { LOCALES, type Locale } from '@luotsi/database';
import {
  MAX_ENTRY_BODY,
  NOT_OWNER_REASON,
  NUL_REASON,
  type InputIssue,
  type PlanningEntryView,
  type PlanningPage,
} from '@luotsi/domain';
import { formatDate, formatQuarter } from '@luotsi/texts';
import { FORM_STYLE, type FormPages } from './participant-page';
import { PLANNING_REFUSALS, PLANNING_TEXTS } from './planning.texts';

const STYLE = `${FORM_STYLE}
h2{font-size:1.25rem;line-height:1.3;margin:0 0 .5rem;overflow-wrap:anywhere}
h3{font-size:1.1rem;line-height:1.3;margin:0 0 .25rem;overflow-wrap:anywhere}
.label{display:block;font-size:.85rem;font-weight:600;color:#4a5560;text-transform:uppercase;letter-spacing:.03em}
section.objective{border-top:3px solid #0b5cad;padding-top:.75rem;margin:1.5rem 0}
article.kr{border-top:1px solid #d0d5da;padding-top:.75rem;margin:1rem 0 1rem .5rem}
.meta,.previous,.owner{color:#4a5560;margin:.25rem 0;overflow-wrap:anywhere}
.notice{background:#e8f1fb;border-left:4px solid #0b5cad;padding:.5rem .75rem}
.dialogue{background:#fff8e1;border-left:4px solid #8a6d00;padding:.5rem .75rem}
.checklist,.hints{background:#f6f7f9;padding:.5rem .75rem;margin:1rem 0}
.checklist h2,.hints h3{font-size:1rem;margin:.25rem 0}
.checklist ul,.hints ul{margin:.25rem 0;padding-left:1.25rem}
ul.entries{list-style:none;padding:0;margin:.5rem 0}
ul.entries>li{border-left:3px solid #9aa4ad;padding:.25rem .75rem;margin:.5rem 0}
.said{font-weight:600;margin:0;overflow-wrap:anywhere}
.body{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.status{color:#1d6b2f;margin:.25rem 0}
fieldset{border:0;margin:0;padding:0;min-width:0}
form.say>fieldset>legend{font-weight:600;padding:0;margin:.5rem 0 .25rem;overflow-wrap:anywhere}
.choice legend{font-weight:400;margin-bottom:.25rem}
.field{margin:.75rem 0}
label.text{display:block;font-weight:600;margin-bottom:.25rem}
input.text{font:inherit;width:100%;min-height:44px;padding:.5rem;border:1px solid #6b7580;border-radius:.4rem}
details{margin:.25rem 0}
summary{cursor:pointer;color:#0b5cad;min-height:44px;display:flex;align-items:center}
`;

const hbs = Handlebars.create();
hbs.registerPartial(
  'say',
  `<form method="post" action="{{action}}" class="say" novalidate>
<input type="hidden" name="lang" value="{{locale}}">
{{#if target}}<input type="hidden" name="target" value="{{target}}">{{/if}}{{#if entryId}}<input type="hidden" name="entryId" value="{{entryId}}"><input type="hidden" name="action" value="edit">{{/if}}
<fieldset>
<legend>{{legend}}</legend>
{{#if actions}}<fieldset class="choice field{{#if actionError}} has-error{{/if}}">
<legend>{{w.action}}</legend>
{{#if actionError}}<p class="error" id="{{fid}}-action-error">{{actionError}}</p>{{/if}}
<div class="options">{{#each actions}}<label class="option" for="{{id}}"><input type="radio" id="{{id}}" name="action" value="{{value}}"{{#if checked}} checked{{/if}}><span>{{label}}</span></label>{{/each}}</div>
</fieldset>{{/if}}
{{#if withTitle}}<div class="field{{#if titleError}} has-error{{/if}}">
<label class="text" for="{{fid}}-title">{{w.proposedTitle}}</label>
<p class="hint" id="{{fid}}-title-hint">{{w.proposedTitleHint}}</p>
{{#if titleError}}<p class="error" id="{{fid}}-title-error">{{titleError}}</p>{{/if}}
<input class="text" type="text" id="{{fid}}-title" name="proposedTitle" maxlength="300" autocomplete="off" value="{{titleValue}}" aria-describedby="{{fid}}-title-hint{{#if titleError}} {{fid}}-title-error{{/if}}"{{#if titleError}} aria-invalid="true"{{/if}}>
</div>{{/if}}
<div class="field{{#if bodyError}} has-error{{/if}}">
<label class="text" for="{{fid}}-body">{{w.body}}</label>
<p class="hint" id="{{fid}}-body-hint">{{w.bodyHint}}</p>
{{#if bodyError}}<p class="error" id="{{fid}}-body-error">{{bodyError}}</p>{{/if}}
<textarea id="{{fid}}-body" name="body" rows="3" maxlength="${MAX_ENTRY_BODY}" aria-describedby="{{fid}}-body-hint{{#if bodyError}} {{fid}}-body-error{{/if}}"{{#if bodyError}} aria-invalid="true"{{/if}}>{{bodyValue}}</textarea>
</div>
<button type="submit">{{button}}</button>
</fieldset>
</form>`,
);
hbs.registerPartial(
  'entries',
  `{{#if entries}}<ul class="entries">{{#each entries}}<li id="entry-{{id}}">
<p class="said">{{said}}</p>
{{#if body}}<p class="body">{{body}}</p>{{/if}}
{{#if statusText}}<p class="status">{{statusText}}</p>{{/if}}
{{#if form}}<details{{#if form.open}} open{{/if}}><summary>{{form.w.edit}}</summary>
{{> say form}}
</details>{{/if}}
</li>{{/each}}</ul>{{/if}}`,
);

hbs.registerPartial(
  'krform',
  `<details{{#if open}} open{{/if}}><summary>{{summary}}</summary>
<form method="post" action="{{action}}" class="say" novalidate>
<input type="hidden" name="lang" value="{{locale}}">
<input type="hidden" name="action" value="{{formAction}}">
<input type="hidden" name="target" value="{{target}}">
<fieldset>
<legend>{{legend}}</legend>
{{#each texts}}<div class="field{{#if error}} has-error{{/if}}">
<label class="text" for="{{id}}">{{label}}</label>
{{#if hint}}<p class="hint" id="{{id}}-hint">{{hint}}</p>{{/if}}
{{#if error}}<p class="error" id="{{id}}-error">{{error}}</p>{{/if}}
<input class="text" type="text" id="{{id}}" name="{{name}}" maxlength="{{max}}" autocomplete="off"{{#if decimal}} inputmode="decimal"{{/if}} value="{{value}}"{{#if describedBy}} aria-describedby="{{describedBy}}"{{/if}}{{#if error}} aria-invalid="true"{{/if}}>
</div>
{{/each}}{{#each choices}}<fieldset class="choice field{{#if error}} has-error{{/if}}">
<legend>{{legend}}</legend>
{{#if error}}<p class="error" id="{{name}}-{{../fid}}-error">{{error}}</p>{{/if}}
<div class="options">{{#each options}}<label class="option" for="{{id}}"><input type="radio" id="{{id}}" name="{{../name}}" value="{{value}}"{{#if checked}} checked{{/if}}><span>{{label}}</span></label>{{/each}}</div>
</fieldset>
{{/each}}<button type="submit">{{button}}</button>
</fieldset>
</form>
</details>`,
);

const template = hbs.compile(`<!doctype html>
<html lang="{{locale}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{#if errors}}{{t.errorTitle}} – {{/if}}{{t.title}}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<nav aria-label="{{t.otherLanguages}}"><ul class="langs">{{#each languages}}<li><a href="{{href}}" lang="{{code}}" hreflang="{{code}}"{{#if current}} aria-current="page"{{/if}}>{{name}}</a></li>{{/each}}</ul></nav>
<h1>{{t.title}}</h1>
<p>{{intro}}</p>
{{#if saved}}<p class="notice" role="status">{{t.saved}}</p>{{/if}}
{{#if open}}<p class="dialogue">{{dialogue}}</p>{{else}}<p class="notice">{{t.closedNote}}</p>{{/if}}
{{#if errors}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">{{t.errorTitle}}</h2>
<ul>{{#each errors}}<li><a href="#{{target}}">{{label}}: {{reason}}</a></li>{{/each}}</ul>
</div>{{/if}}
{{#if open}}<section class="checklist" aria-labelledby="checklist-title"><h2 id="checklist-title">{{t.checklistTitle}}</h2>
<ul>{{#each t.checklist}}<li>{{this}}</li>{{/each}}</ul></section>{{/if}}
{{#unless objectives}}<p>{{t.empty}}</p>{{/unless}}
{{#each objectives}}<section class="objective" aria-labelledby="o-{{id}}-heading">
<h2 id="o-{{id}}-heading"><span class="label">{{../t.objective}}</span> {{title}}</h2>
{{#if description}}<p class="body">{{description}}</p>{{/if}}
<p class="owner">{{ownerText}}</p>
{{#each previous}}<p class="previous">{{this}}</p>{{/each}}
{{#if hints}}<div class="hints"><h3>{{../t.hintsTitle}}</h3><ul>{{#each hints}}<li>{{this}}</li>{{/each}}</ul></div>{{/if}}
{{> entries}}
{{#if form}}{{> say form}}{{/if}}
{{#if ownerNote}}<p class="notice">{{ownerNote}}</p>{{/if}}
{{#if addForm}}{{> krform addForm}}{{/if}}
{{#each keyResults}}<article class="kr" aria-labelledby="k-{{id}}-heading">
<h3 id="k-{{id}}-heading"><span class="label">{{../../t.keyResult}}</span> {{title}}</h3>
<p class="meta">{{meta}}</p>
{{#each previous}}<p class="previous">{{this}}</p>{{/each}}
{{> entries}}
{{#if form}}{{> say form}}{{/if}}
{{#if editForm}}{{> krform editForm}}{{/if}}
</article>{{/each}}
</section>{{/each}}
</main>
</body>
</html>
`);

/** What the page shows: the drafts, and after a post that failed, what was wrong and what was written. */
export interface PlanningPageInput {
  token: string;
  page: PlanningPage;
  saved?: boolean;
  values?: Record<string, string>;
  issues?: InputIssue[];
}

type Words = (typeof PLANNING_TEXTS)['en'];

/** The planning page: the drafts with the dialogue and a form for each, no JavaScript, everything escaped. */
export function renderPlanningPage({ token, page, saved, values, issues = [] }: PlanningPageInput): string {
  const locale = page.locale;
  const w = PLANNING_TEXTS[locale];
  const path = `/p/${token}`;
  const quarter = formatQuarter(locale, page.quarterLabel);
  // The form the failed post came from: its target draft, or the entry being edited.
  const failedForm = issues.length ? formIdOf(values ?? {}) : null;
  const errors: { target: string; label: string; reason: string }[] = [];

  const form = (fid: string, legend: string, extra: Record<string, unknown>) => {
    const failed = failedForm === fid;
    const issue = (field: string) => (failed ? issues.find((i) => i.field === field) : undefined);
    const bodyError = reasonOf(w, issue('body'));
    const titleError = reasonOf(w, issue('proposedTitle'));
    const actionError = reasonOf(w, issue('action') ?? issue('target') ?? issue('entryId'));
    if (actionError)
      errors.push({
        target: extra.actions ? `${fid}-comment` : `${fid}-body`,
        label: legend,
        reason: actionError,
      });
    if (titleError) errors.push({ target: `${fid}-title`, label: w.proposedTitle, reason: titleError });
    if (bodyError) errors.push({ target: `${fid}-body`, label: w.body, reason: bodyError });
    const chosen = failed ? values?.action : undefined;
    return {
      action: path,
      locale,
      fid,
      legend,
      w,
      bodyError,
      titleError,
      actionError,
      bodyValue: failed ? (values?.body ?? '') : (extra.bodyValue ?? ''),
      titleValue: failed ? (values?.proposedTitle ?? '') : (extra.titleValue ?? ''),
      open: failed,
      ...extra,
      ...(extra.actions
        ? {
            actions: (['comment', 'rewording', 'volunteer'] as const).map((value) => ({
              id: `${fid}-${value}`,
              value,
              label: w.actions[value],
              checked: (chosen ?? 'comment') === value,
            })),
          }
        : {}),
    };
  };

  /** The form of an objective's owner: a new key result of it (`ka-`), or a change of one (`ke-`). */
  const krForm = (
    fid: string,
    formAction: 'add_key_result' | 'edit_key_result',
    target: string,
    legend: string,
    start: Record<KeyResultFormField, string>,
  ) => {
    const failed = failedForm === fid;
    const shown = failed ? { ...start, ...pick(values ?? {}) } : start;
    const error = (field: KeyResultFormField) => {
      const found = failed ? issues.find((i) => i.field === field) : undefined;
      return reasonOf(w, found);
    };
    const summary = formAction === 'add_key_result' ? w.kr.add : w.kr.edit;
    if (failed) {
      const off = issues.find((i) => i.field === 'target');
      if (off) errors.push({ target: `${fid}-krTitle`, label: summary, reason: reasonOf(w, off)! });
    }
    const texts = (
      [
        ['krTitle', w.kr.title, w.kr.titleHint, 300, false],
        ['krStart', w.kr.start, w.kr.numbersHint, 40, true],
        ['krTarget', w.kr.target, w.kr.numbersHint, 40, true],
        ['krUnit', w.kr.unit, w.kr.numbersHint, 20, false],
      ] as const
    ).map(([name, label, hint, max, decimal]) => {
      const id = `${fid}-${name}`;
      const message = error(name);
      if (message) errors.push({ target: id, label, reason: message });
      return {
        id,
        name,
        label,
        hint,
        max,
        decimal,
        value: shown[name],
        error: message,
        describedBy: [`${id}-hint`, ...(message ? [`${id}-error`] : [])].join(' '),
      };
    });
    const choices = (
      [
        [
          'krKind',
          w.kr.kind,
          ['committed', 'aspirational'] as const,
          (v: string) => w.kind(v as 'committed'),
        ],
        [
          'krMeasure',
          w.kr.measure,
          ['metric', 'milestone', 'binary'] as const,
          (v: string) => w.kr.measures[v as 'metric'],
        ],
      ] as const
    ).map(([name, legendText, options, label]) => {
      const message = error(name);
      if (message)
        errors.push({ target: `${fid}-${name}-${options[0]}`, label: legendText, reason: message });
      return {
        name,
        legend: legendText,
        error: message,
        options: options.map((value) => ({
          id: `${fid}-${name}-${value}`,
          value,
          label: label(value),
          checked: shown[name] === value,
        })),
      };
    });
    return {
      action: path,
      locale,
      fid,
      formAction,
      target,
      legend,
      summary,
      open: failed,
      texts,
      choices,
      button: formAction === 'add_key_result' ? w.kr.addButton : w.kr.saveButton,
    };
  };

  const entries = (list: PlanningEntryView[]) =>
    list.map((e) => {
      const mine = e.participantId === page.participantId;
      const name = mine ? `${e.authorName} (${w.you})` : e.authorName;
      const editable = page.open && mine && e.status === 'open';
      return {
        id: e.id,
        said: w.said(e.kind, name, e.proposedTitle ?? ''),
        body: e.body,
        statusText: e.status === 'open' ? null : w.status(e.status),
        form: editable
          ? form(`e-${e.id}`, w.edit, {
              entryId: e.id,
              withTitle: e.kind === 'rewording',
              bodyValue: e.body,
              titleValue: e.proposedTitle ?? '',
              button: w.save,
            })
          : null,
      };
    });

  const objectives = page.objectives.map((o) => {
    const owned = page.open && o.ownerId === page.participantId;
    return {
      id: o.id,
      title: o.title,
      description: o.description,
      ownerText: o.ownerName ? w.owner(o.ownerName) : w.noOwner,
      previous: o.previousTitles.map((title) => w.previously(title)),
      hints: page.open ? o.hints.map((h) => w.hint(h.code)) : [],
      entries: entries(o.entries),
      form: page.open
        ? form(`o-${o.id}`, w.formLegend(o.title), {
            target: `o:${o.id}`,
            actions: true,
            withTitle: true,
            button: w.submit,
          })
        : null,
      ownerNote: owned ? w.kr.ownerNote : null,
      addForm: owned
        ? krForm(`ka-${o.id}`, 'add_key_result', `o:${o.id}`, w.kr.add, {
            krTitle: '',
            krKind: 'committed',
            krMeasure: 'metric',
            krStart: '',
            krTarget: '',
            krUnit: '',
          })
        : null,
      keyResults: o.keyResults.map((kr) => ({
        id: kr.id,
        title: kr.title,
        meta: `${w.kind(kr.kind)} · ${kr.ownerName ? w.owner(kr.ownerName) : w.noOwner}`,
        previous: kr.previousTitles.map((title) => w.previously(title)),
        entries: entries(kr.entries),
        form: page.open
          ? form(`k-${kr.id}`, w.formLegend(kr.title), {
              target: `k:${kr.id}`,
              actions: true,
              withTitle: true,
              button: w.submit,
            })
          : null,
        editForm: owned
          ? krForm(`ke-${kr.id}`, 'edit_key_result', `k:${kr.id}`, w.kr.edit, {
              krTitle: kr.title,
              krKind: kr.kind,
              krMeasure: kr.measure,
              krStart: kr.start === null ? '' : String(kr.start),
              krTarget: kr.target === null ? '' : String(kr.target),
              krUnit: kr.unit ?? '',
            })
          : null,
      })),
    };
  });

  return template({
    locale,
    t: w,
    intro: page.open
      ? w.intro(page.pilotName, quarter, formatDate(locale, page.closesOn))
      : w.finalIntro(page.pilotName, quarter),
    dialogue: w.dialogue(page.participantName),
    open: page.open,
    saved: saved && !issues.length,
    errors: errors.length
      ? errors
      : issues.length
        ? [
            {
              target: 'error-summary-title',
              label: w.title,
              reason: reasonOf(w, issues[0]) ?? w.errors.target,
            },
          ]
        : null,
    languages: LOCALES.map((code: Locale) => ({
      code,
      name: PLANNING_TEXTS[code].language,
      href: `${path}?lang=${code}`,
      current: code === locale,
    })),
    objectives,
  });
}

type KeyResultFormField = 'krTitle' | 'krKind' | 'krMeasure' | 'krStart' | 'krTarget' | 'krUnit';
const KEY_RESULT_FORM_FIELDS: KeyResultFormField[] = [
  'krTitle',
  'krKind',
  'krMeasure',
  'krStart',
  'krTarget',
  'krUnit',
];

/** What an owner's key result form posted, to show it again. */
const pick = (values: Record<string, string>): Partial<Record<KeyResultFormField, string>> =>
  Object.fromEntries(KEY_RESULT_FORM_FIELDS.filter((f) => f in values).map((f) => [f, values[f]]));

/** The id of the form a post came from. */
function formIdOf(values: Record<string, string>): string | null {
  if (values.action === 'edit' && values.entryId) return `e-${values.entryId}`;
  const match = /^(o|k):(.+)$/.exec(values.target ?? '');
  if (!match) return null;
  if (values.action === 'add_key_result') return `ka-${match[2]}`;
  if (values.action === 'edit_key_result') return `ke-${match[2]}`;
  return `${match[1]}-${match[2]}`;
}

/** What the page says for a domain issue, in the page's language. */
function reasonOf(w: Words, issue: InputIssue | undefined): string | null {
  if (!issue) return null;
  if (issue.reason === NUL_REASON) return w.errors.invalidChar;
  switch (issue.field) {
    case 'body':
      return issue.reason === 'required' ? w.errors.bodyRequired : w.errors.bodyTooLong(MAX_ENTRY_BODY);
    case 'proposedTitle':
      return issue.reason === 'required' ? w.errors.titleRequired : w.errors.titleTooLong;
    case 'action':
      return w.errors.action;
    case 'entryId':
      return w.errors.entry;
    case 'krTitle':
      return w.kr.errors.title;
    case 'krKind':
    case 'krMeasure':
      return w.kr.errors.choice;
    case 'krStart':
    case 'krTarget':
      return w.kr.errors.numbers;
    case 'krUnit':
      return w.kr.errors.unit;
    default:
      return issue.reason === NOT_OWNER_REASON ? w.kr.errors.notOwner : w.errors.target;
  }
}

/**
 * The planning page as a participant form: shown with `?saved=1` after a post that went in, refused in
 * the person's language once the planning has closed, and back to the page (the entry written) after
 * each post.
 */
export const PLANNING_PAGES: FormPages<PlanningPage> = {
  refusals: PLANNING_REFUSALS,
  render: ({ token, form, values, issues, query }) =>
    renderPlanningPage({ token, page: form, saved: query?.saved === '1', values, issues }),
  redirectAfterSave: (token, { form, anchor }) =>
    `/p/${token}?lang=${form.locale}&saved=1${anchor ? `#${anchor}` : ''}`,
};
