import Handlebars from 'handlebars';
import { isLanguage, textsFor } from '@luotsi/texts';

/**
 * The report pages' templates and style, compiled once. Their words come from the `report` namespace of
 * the text catalogue in the language the template is given (`language` at its root): `{{t 'key' k=…}}`.
 * Every value is escaped by Handlebars; only triple-stashed values (the style, the body, the charts)
 * are inserted raw.
 */

export const REPORT_STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#f6f7f9;overflow-wrap:break-word}
.page{max-width:62rem;margin:0 auto;padding:1.5rem 1.25rem 3rem;background:#fff;min-height:100vh}
@media (max-width:30rem){.page{padding:1rem .75rem 2rem}h1{font-size:1.45rem}}
header.masthead{border-bottom:3px solid #0b5cad;padding-bottom:.75rem;margin-bottom:1rem}
.eyebrow{margin:0;color:#4a5560;font-size:.9rem;text-transform:uppercase;letter-spacing:.04em}
h1{font-size:1.75rem;line-height:1.2;margin:.25rem 0 .5rem}
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid #d5dae0;padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
h4{font-size:1rem;margin:.75rem 0 .25rem}
.meta{color:#4a5560;margin:.25rem 0}
.note{background:#eef4fb;border-left:4px solid #0b5cad;padding:.5rem .75rem;margin:.75rem 0}
.kpis{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0 1rem;padding:0;list-style:none}
.kpis li{border:1px solid #d5dae0;border-radius:.4rem;padding:.5rem .75rem;min-width:10rem}
.kpis strong{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem;max-width:100%}
.table-wrap>table{margin:0}
.table-wrap:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #d5dae0;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #8a949e}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.suppressed{color:#4a5560;font-style:italic}
figure{margin:.75rem 0 1rem}
figure svg{max-width:100%;height:auto}
svg{max-width:100%}
.flags{padding-left:1.25rem}
.flags li{margin:.35rem 0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.3rem;font-weight:700;font-size:.85rem;color:#fff}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}
.verdict{font-size:1.25rem;padding:.75rem 1rem;border-radius:.4rem;margin:.5rem 0 1rem;border:2px solid}
.verdict.ready{border-color:#2e7d32;background:#edf7ee}
.verdict.ready_with_conditions{border-color:#c99400;background:#fff8e1}
.verdict.not_ready{border-color:#c62828;background:#fdecea}
blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:4px solid #8a949e;color:#1b1f23}
.downloads{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0 0}
.downloads a,a{color:#0b5cad}
a:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
footer{margin-top:2rem;color:#4a5560;font-size:.85rem;border-top:1px solid #d5dae0;padding-top:.5rem}
@page{size:A4;margin:16mm 14mm 18mm}
@media print{
  body{background:#fff;font-size:10.5pt}
  .page{max-width:none;padding:0;min-height:0}
  .downloads{display:none}
  .table-wrap{overflow:visible}
  a{color:inherit;text-decoration:none}
  h2,h3{break-after:avoid;page-break-after:avoid}
  figure,table,article,.kpis,.verdict{break-inside:avoid;page-break-inside:avoid}
  h2{margin-top:1.25rem}
}
`;

const hbs = Handlebars.create();

hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
  const language: unknown = options.data?.root?.language;
  return textsFor(isLanguage(language) ? language : 'en')(`report:${key}`, options.hash);
});

/**
 * Wraps every table of a template in a region that scrolls sideways by itself, so a wide table never
 * widens a phone's page. The region is focusable (keyboard users can scroll it) and named after the
 * table's caption, else after the section heading it sits under (both are `{{t '…'}}` expressions,
 * which the attribute evaluates in the page's language).
 */
function scrollingTables(source: string): string {
  let heading = "{{t 'page.table'}}";
  return source.replace(/<h2 [^>]*>([^<]*)<\/h2>|<table>(\s*<caption>([^<]*)<\/caption>)?|<\/table>/g, (match, h2, _c, caption) => {
    if (h2 !== undefined) {
      heading = h2;
      return match;
    }
    if (match === '</table>') return '</table></div>';
    const label = (caption ?? heading).replace(/"/g, '&quot;');
    return `<div class="table-wrap" role="region" tabindex="0" aria-label="${label}">${match}`;
  });
}

/** The page around a report's body: masthead, links to the other formats, audience note, footer. */
export const layoutTemplate = hbs.compile(
  `<!doctype html>
<html lang="{{#if language}}{{language}}{{else}}en{{/if}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
{{#if noindex}}<meta name="robots" content="noindex, nofollow">
{{/if}}<title>{{title}}</title>
<style>{{{style}}}</style>
</head>
<body>
<div class="page">
<header class="masthead">
<p class="eyebrow">{{eyebrow}}</p>
<h1>{{heading}}</h1>
{{#each meta}}<p class="meta">{{this}}</p>
{{/each}}{{#if downloads}}<nav class="downloads" aria-label="{{t 'page.otherFormats'}}"><a href="{{downloads.pdf}}">{{t 'page.downloadPdf'}}</a><a href="{{downloads.csv}}">{{t 'page.downloadCsv'}}</a></nav>
{{/if}}</header>
<main>
{{#if note}}<p class="note">{{note}}</p>
{{/if}}{{{body}}}
</main>
<footer>{{footer}}</footer>
</div>
</body>
</html>
`,
  { strict: false },
);

/** The learning report's sections, from the view model of `renderLearningHtml`. */
export const learningTemplate = hbs.compile(
  scrollingTables(`<section aria-labelledby="s-flags">
<h2 id="s-flags">{{t 'learning.flags.heading'}}</h2>
{{#if flags.length}}<ul class="flags">
{{#each flags}}<li><strong>{{label}}.</strong> {{message}}{{#if numbers}} <span class="meta">({{numbers}})</span>{{/if}}</li>
{{/each}}</ul>{{else}}<p>{{t 'learning.flags.none'}}</p>{{/if}}
</section>
<section aria-labelledby="s-response">
<h2 id="s-response">{{t 'learning.response.heading'}}</h2>
<ul class="kpis">
<li><strong>{{response.rate}}</strong>{{t 'learning.response.responded' count=response.count of=response.of}}</li>
{{#if nps}}<li><strong>{{nps.score}}</strong>{{t 'learning.response.npsAnswers' count=nps.responses}}</li>{{/if}}
<li><strong>{{practice.rhythm}}</strong>{{t 'learning.response.rhythm'}}</li>
</ul>
{{{response.svg}}}
<table>
<caption>{{t 'learning.response.byLevel'}}</caption>
<thead><tr><th scope="col">{{t 'learning.response.level'}}</th><th scope="col" class="num">{{t 'learning.response.respondedColumn'}}</th><th scope="col" class="num">{{t 'learning.response.invited'}}</th><th scope="col" class="num">{{t 'learning.response.rate'}}</th></tr></thead>
<tbody>
{{#each response.levels}}<tr><th scope="row">{{label}}</th>{{#if suppressed}}<td colspan="3" class="suppressed">{{t 'learning.response.notShown' k=@root.k}}</td>{{else}}<td class="num">{{count}}</td><td class="num">{{of}}</td><td class="num">{{rate}}</td>{{/if}}</tr>
{{/each}}</tbody>
</table>
</section>
<section aria-labelledby="s-questions">
<h2 id="s-questions">{{t 'learning.questions.heading'}}</h2>
{{#each questions}}<article class="question" aria-labelledby="q-{{@index}}">
<h3 id="q-{{@index}}"><span lang="{{lang}}">{{text}}</span></h3>
<p class="meta">{{type}} · {{t 'learning.questions.answers' count=responses}}{{#if suppressed}}{{else}}{{#if scale}} · {{t 'learning.questions.meanMedian' mean=mean median=median}}{{/if}}{{/if}}</p>
{{#if suppressed}}<p class="suppressed">{{t 'learning.questions.notShown' k=@root.k}}</p>{{/if}}
{{{svg}}}
{{#if choices.length}}<table>
<caption>{{t 'learning.questions.byChoice'}}</caption>
<thead><tr><th scope="col">{{t 'learning.questions.choice'}}</th><th scope="col" class="num">{{t 'learning.questions.answersColumn'}}</th></tr></thead>
<tbody>{{#each choices}}<tr><th scope="row">{{value}}</th><td class="num">{{count}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
{{#if trend.length}}<table>
<caption>{{t 'learning.questions.overQuarters'}}</caption>
<thead><tr><th scope="col">{{t 'learning.questions.quarter'}}</th><th scope="col" class="num">{{t 'learning.questions.answersColumn'}}</th><th scope="col" class="num">{{t 'learning.questions.mean'}}</th></tr></thead>
<tbody>{{#each trend}}<tr><th scope="row">{{quarterLabel}}</th><td class="num">{{responses}}</td><td class="num">{{mean}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
{{#if byLevel.length}}<table>
<caption>{{t 'learning.questions.byLevel'}}</caption>
<thead><tr><th scope="col">{{t 'learning.response.level'}}</th><th scope="col" class="num">{{t 'learning.questions.answersColumn'}}</th><th scope="col" class="num">{{t 'learning.questions.mean'}}</th></tr></thead>
<tbody>{{#each byLevel}}<tr><th scope="row">{{label}}</th>{{#if suppressed}}<td colspan="2" class="suppressed">{{t 'learning.response.notShown' k=@root.k}}</td>{{else}}<td class="num">{{responses}}</td><td class="num">{{mean}}</td>{{/if}}</tr>{{/each}}</tbody>
</table>{{/if}}
</article>
{{else}}<p>{{t 'learning.questions.none'}}</p>
{{/each}}
</section>
{{#if nps}}<section aria-labelledby="s-nps">
<h2 id="s-nps">{{t 'learning.nps.heading'}}</h2>
<p>{{t 'learning.nps.intro'}}</p>
<table>
<thead><tr><th scope="col" class="num">{{t 'learning.nps.score'}}</th><th scope="col" class="num">{{t 'learning.nps.promoters'}}</th><th scope="col" class="num">{{t 'learning.nps.passives'}}</th><th scope="col" class="num">{{t 'learning.nps.detractors'}}</th><th scope="col" class="num">{{t 'learning.questions.answersColumn'}}</th></tr></thead>
<tbody><tr><td class="num">{{nps.score}}</td><td class="num">{{nps.promoters}}</td><td class="num">{{nps.passives}}</td><td class="num">{{nps.detractors}}</td><td class="num">{{nps.responses}}</td></tr></tbody>
</table>
</section>
{{/if}}{{#if adkar.length}}<section aria-labelledby="s-adkar">
<h2 id="s-adkar">{{t 'learning.adkar.heading'}}</h2>
<table>
<thead><tr><th scope="col">{{t 'learning.adkar.element'}}</th><th scope="col" class="num">{{t 'learning.questions.answersColumn'}}</th><th scope="col" class="num">{{t 'learning.adkar.mean'}}</th><th scope="col">{{t 'learning.adkar.barrier'}}</th></tr></thead>
<tbody>{{#each adkar}}<tr><th scope="row">{{element}}</th><td class="num">{{responses}}</td><td class="num">{{mean}}</td><td>{{barrier}}</td></tr>{{/each}}</tbody>
</table>
</section>
{{/if}}<section aria-labelledby="s-practice">
<h2 id="s-practice">{{t 'learning.practice.heading'}}</h2>
<ul class="kpis">
<li><strong>{{practice.rhythm}}</strong>{{t 'learning.practice.checkIns' done=practice.rhythmDone due=practice.rhythmDue}}</li>
<li><strong>{{practice.committed}}</strong>{{t 'learning.practice.committed' met=practice.committedMet total=practice.committedTotal}}</li>
<li><strong>{{practice.aspirational}}</strong>{{t 'learning.practice.aspirational'}}{{#if practice.reading}}: {{practice.reading}}{{/if}}</li>
</ul>
{{{practice.bandsSvg}}}
<table>
<caption>{{t 'learning.practice.bands'}}</caption>
<thead><tr><th scope="col">{{t 'learning.practice.green'}}</th><th scope="col">{{t 'learning.practice.yellow'}}</th><th scope="col">{{t 'learning.practice.red'}}</th><th scope="col">{{t 'learning.practice.unscored'}}</th></tr></thead>
<tbody><tr><td>{{practice.bands.green}}</td><td>{{practice.bands.yellow}}</td><td>{{practice.bands.red}}</td><td>{{practice.bands.unscored}}</td></tr></tbody>
</table>
{{{practice.confidenceSvg}}}
{{#if practice.drops.length}}<table>
<caption>{{t 'learning.practice.drops'}}</caption>
<thead><tr><th scope="col">{{t 'learning.practice.keyResult'}}</th><th scope="col">{{t 'learning.practice.weeks'}}</th><th scope="col" class="num">{{t 'learning.practice.from'}}</th><th scope="col" class="num">{{t 'learning.practice.to'}}</th></tr></thead>
<tbody>{{#each practice.drops}}<tr><th scope="row">{{title}}</th><td>{{fromWeek}}–{{toWeek}}</td><td class="num">{{from}}</td><td class="num">{{to}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
{{#if practice.still.length}}<table>
<caption>{{t 'learning.practice.still'}}</caption>
<thead><tr><th scope="col">{{t 'learning.practice.keyResult'}}</th><th scope="col" class="num">{{t 'learning.practice.checkInsColumn'}}</th></tr></thead>
<tbody>{{#each practice.still}}<tr><th scope="row">{{title}}</th><td class="num">{{checkIns}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
</section>
{{#if dialogue}}<section aria-labelledby="s-dialogue">
<h2 id="s-dialogue">{{t 'learning.dialogue.heading'}}</h2>
{{#if dialogue.none}}<p>{{t 'learning.dialogue.none'}}</p>
{{else}}<p class="meta">{{t 'learning.dialogue.intro'}}</p>
<ul class="kpis">
<li><strong>{{dialogue.tookPart}}</strong>{{t 'learning.dialogue.tookPart' participants=dialogue.participants}}</li>
<li><strong>{{dialogue.entries}}</strong>{{t 'learning.dialogue.entries' comments=dialogue.comments rewordings=dialogue.rewordings offers=dialogue.offers}}</li>
<li><strong>{{dialogue.keyResultsChanged}}</strong>{{t 'learning.dialogue.keyResultsChanged'}}</li>
<li><strong>{{dialogue.ownersVolunteered}}</strong>{{t 'learning.dialogue.ownersVolunteered'}}</li>
</ul>
{{#if dialogue.objectives.length}}<table>
<caption>{{t 'learning.dialogue.perObjective'}}</caption>
<thead><tr><th scope="col">{{t 'learning.dialogue.objective'}}</th><th scope="col" class="num">{{t 'learning.dialogue.entriesColumn'}}</th><th scope="col" class="num">{{t 'learning.dialogue.commentsColumn'}}</th></tr></thead>
<tbody>{{#each dialogue.objectives}}<tr><th scope="row">{{title}}</th><td class="num">{{entries}}</td><td class="num">{{comments}}</td></tr>{{/each}}</tbody>
</table>
{{/if}}{{#if dialogue.withheld}}<p class="suppressed">{{t 'learning.dialogue.withheld' k=dialogue.k}}</p>
{{else}}<table>
<caption>{{t 'learning.dialogue.comparison'}}</caption>
<thead><tr><th scope="col">{{t 'learning.dialogue.group'}}</th><th scope="col" class="num">{{t 'learning.dialogue.keyResults'}}</th><th scope="col" class="num">{{t 'learning.dialogue.scored'}}</th><th scope="col" class="num">{{t 'learning.dialogue.averageScore'}}</th><th scope="col" class="num">{{t 'learning.dialogue.checkIns'}}</th></tr></thead>
<tbody>{{#each dialogue.groups}}<tr><th scope="row">{{label}}</th><td class="num">{{keyResults}}</td><td class="num">{{scored}}</td><td class="num">{{averageScore}}</td><td class="num">{{checkIns}}</td></tr>{{/each}}</tbody>
</table>
{{/if}}{{/if}}</section>
{{/if}}{{#if comparison.length}}<section aria-labelledby="s-comparison">
<h2 id="s-comparison">{{t 'learning.comparison.heading'}}</h2>
{{{comparisonSvg}}}
<table>
<thead><tr><th scope="col">{{t 'learning.comparison.pilot'}}</th><th scope="col">{{t 'learning.questions.quarter'}}</th><th scope="col" class="num">{{t 'learning.comparison.participants'}}</th><th scope="col" class="num">{{t 'learning.comparison.responseRate'}}</th><th scope="col" class="num">{{t 'learning.comparison.rhythm'}}</th><th scope="col" class="num">NPS</th><th scope="col" class="num">{{t 'learning.comparison.committedMet'}}</th><th scope="col" class="num">{{t 'learning.comparison.aspirational'}}</th></tr></thead>
<tbody>{{#each comparison}}<tr><th scope="row">{{name}}</th><td>{{quarter}}</td><td class="num">{{participants}}</td><td class="num">{{responseRate}}</td><td class="num">{{rhythm}}</td><td class="num">{{nps}}</td><td class="num">{{committedMet}}</td><td class="num">{{aspirational}}</td></tr>{{/each}}</tbody>
</table>
</section>
{{/if}}<section aria-labelledby="s-themes">
<h2 id="s-themes">{{t 'learning.themes.heading'}}</h2>
{{#if themes.length}}<p class="meta">{{t 'learning.themes.intro'}}</p>
{{/if}}{{#each themes}}<article aria-labelledby="t-{{@index}}">
<h3 id="t-{{@index}}">{{#if pooled}}{{t 'learning.themes.allQuestions'}}{{else}}<span lang="{{lang}}">{{text}}</span>{{/if}}</h3>
{{#if suppressed}}<p class="suppressed">{{t 'learning.themes.questionHidden' k=@root.k}}</p>
{{else}}<p class="meta">{{t 'learning.themes.questionAnswers' count=responses}}</p>
{{#each languages}}<h4>{{t 'learning.themes.answers' language=language count=responses}}</h4>
{{#if terms}}<p><strong>{{t 'learning.themes.words'}}</strong> <span lang="{{locale}}">{{terms}}</span></p>{{/if}}
{{#if phrases}}<p><strong>{{t 'learning.themes.phrases'}}</strong> <span lang="{{locale}}">{{phrases}}</span></p>{{/if}}
{{#each quotes}}<blockquote lang="{{../locale}}">{{this}}</blockquote>
{{/each}}{{/each}}{{#if hidden}}<p class="suppressed">{{t 'learning.themes.languagesHidden' languages=hidden k=@root.k}}</p>
{{/if}}{{/if}}</article>
{{else}}<p>{{t 'learning.themes.none'}}</p>
{{/each}}
</section>
`),
  { strict: false },
);

/** The readiness report's sections, from the view model of `renderReadinessHtml`. */
export const readinessTemplate = hbs.compile(
  scrollingTables(`<section aria-labelledby="s-verdict">
<h2 id="s-verdict">{{t 'readiness.verdictHeading'}}</h2>
<p class="verdict {{verdict.key}}"><strong>{{verdict.label}}</strong>{{#if conditions.length}}: {{t 'readiness.didNotPass' gates=conditions}}{{/if}}</p>
{{{statusSvg}}}
{{{measuresSvg}}}
</section>
<section aria-labelledby="s-gates">
<h2 id="s-gates">{{t 'readiness.gatesHeading'}}</h2>
{{#each gates}}<article class="gate" aria-labelledby="g-{{key}}">
<h3 id="g-{{key}}">{{label}} <span class="badge {{#if passed}}pass{{else}}fail{{/if}}">{{#if passed}}{{t 'page.passed'}}{{else}}{{t 'page.failed'}}{{/if}}</span></h3>
<p>{{summary}}</p>
<table>
<caption>{{t 'readiness.numbersUsed'}}</caption>
<thead><tr><th scope="col">{{t 'readiness.measure'}}</th><th scope="col" class="num">{{t 'readiness.value'}}</th></tr></thead>
<tbody>{{#each numbers}}<tr><th scope="row">{{name}}</th><td class="num">{{value}}</td></tr>{{/each}}{{#each thresholds}}<tr><th scope="row">{{t 'readiness.threshold' name=name}}</th><td class="num">{{value}}</td></tr>{{/each}}</tbody>
</table>
{{#if byPilot.length}}<table>
<caption>{{t 'readiness.byPilot'}}</caption>
<thead><tr><th scope="col">{{t 'readiness.pilot'}}</th><th scope="col">{{t 'readiness.quarter'}}</th><th scope="col">{{t 'readiness.numbers'}}</th></tr></thead>
<tbody>{{#each byPilot}}<tr><th scope="row">{{pilotName}}</th><td>{{quarterLabel}}</td><td>{{numbers}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
{{#if reports}}<p class="meta">{{t 'readiness.fromReports' reports=reports}}</p>{{/if}}
</article>
{{/each}}
</section>
<section aria-labelledby="s-wave">
<h2 id="s-wave">{{t 'readiness.wave.heading'}}</h2>
<ul class="kpis">
<li><strong>{{wave.size}}</strong>{{t 'readiness.wave.participants'}}</li>
<li><strong>{{wave.coachesNeeded}}</strong>{{t 'readiness.wave.coachesNeeded'}}</li>
<li><strong>{{wave.startQuarter}}</strong>{{t 'readiness.wave.startQuarter'}}</li>
</ul>
<p>{{t 'readiness.wave.levels' levels=wave.levels}}{{#if wave.newLevels}} {{t 'readiness.wave.newLevels' levels=wave.newLevels}}{{/if}}</p>
{{#if wave.basis.length}}<table>
<caption>{{t 'readiness.wave.basis'}}</caption>
<tbody>{{#each wave.basis}}<tr><th scope="row">{{name}}</th><td class="num">{{value}}</td></tr>{{/each}}</tbody>
</table>{{/if}}
</section>
<section aria-labelledby="s-rollout">
<h2 id="s-rollout">{{t 'readiness.rolloutSection.heading'}}</h2>
<table>
<tbody>
<tr><th scope="row">{{t 'readiness.rolloutSection.goal'}}</th><td>{{rollout.goal}}</td></tr>
<tr><th scope="row">{{t 'readiness.rolloutSection.targetHeadcount'}}</th><td>{{t 'readiness.rolloutSection.headcount' target=rollout.targetHeadcount headcount=organization.headcount}}</td></tr>
<tr><th scope="row">{{t 'readiness.rolloutSection.plannedWaves'}}</th><td>{{rollout.plannedWaves}}</td></tr>
<tr><th scope="row">{{t 'readiness.rolloutSection.status'}}</th><td>{{rollout.status}}</td></tr>
</tbody>
</table>
</section>
`),
  { strict: false },
);
