import Handlebars from 'handlebars';
import { FLAG_LABELS, percent, renderFrame, type AttentionReason, type Portfolio } from '@luotsi/domain';

const ATTENTION: Record<AttentionReason, string> = {
  failed_deliveries: 'failed deliveries',
  flags: 'flags',
  reports_due: 'report due',
  waiting_for_review: 'waiting for review',
  low_response_rate: 'low response rate',
  low_checkin_rhythm: 'low check-in rhythm',
};

const hbs = Handlebars.create();

const body = hbs.compile(
  `<p>{{order}}</p>
{{#if items.length}}<table>
<caption>{{items.length}} pilots, what needs you first</caption>
<thead><tr><th scope="col">Pilot</th><th scope="col">Quarter</th><th scope="col" class="num">Response rate</th><th scope="col" class="num">Check-in rhythm</th><th scope="col">Next sends</th><th scope="col" class="num">Failed deliveries</th><th scope="col">Reports</th><th scope="col">Flags</th></tr></thead>
<tbody>
{{#each items}}<tr>
<th scope="row">{{pilot}}<br><span class="meta">{{organization}} · wave {{wave}} · {{state}}{{#if coach}} · coach {{coach}}{{/if}}</span>{{#if attention}}<br><strong>Needs: {{attention}}</strong>{{/if}}</th>
<td>{{quarter}}</td>
<td class="num">{{responseRate}}</td>
<td class="num">{{rhythm}}</td>
<td>{{#each nextSends}}{{date}} {{sendTime}}: {{key}}<br>{{else}}–{{/each}}</td>
<td class="num">{{failed}}{{#each bounced}}<br><span class="meta">bounced: {{email}} ({{reason}})</span>{{/each}}</td>
<td>{{#if due}}Due: {{due}}<br>{{/if}}{{#if ready}}Ready: {{ready}}{{/if}}{{#unless due}}{{#unless ready}}–{{/unless}}{{/unless}}</td>
<td>{{#each flags}}{{this}}<br>{{else}}–{{/each}}</td>
</tr>
{{/each}}</tbody>
</table>{{else}}<p>No pilots to show: you coach none yet.</p>{{/if}}
`,
  { strict: false },
);

/** The portfolio as one page, in the reports' layout; the same data as the JSON, in the same order. */
export function renderPortfolioPage(portfolio: Portfolio): string {
  const items = portfolio.items.map((item) => ({
    pilot: item.pilot.name,
    organization: item.organization.name,
    wave: item.pilot.waveNumber,
    state: item.pilot.state.replace(/_/g, ' '),
    coach: item.pilot.coach?.name,
    attention: item.attention.map((a) => ATTENTION[a]).join(', '),
    quarter: item.quarter
      ? `${item.quarter.label} (${item.quarter.state}${item.quarter.state === 'active' ? `, week ${item.quarter.week} of ${item.quarter.weeksInQuarter}` : ''})`
      : '–',
    responseRate: item.responseRate
      ? `${percent('en', item.responseRate.rate)} (${item.responseRate.responded} of ${item.responseRate.invited})`
      : '–',
    rhythm: item.checkInRhythm
      ? `${percent('en', item.checkInRhythm.share)} (${item.checkInRhythm.done} of ${item.checkInRhythm.due})`
      : '–',
    nextSends: item.nextSends,
    failed: item.failedDeliveries,
    bounced: item.bounced,
    due: item.reports.due.map((d) => `${d.quarterLabel} (${d.status})`).join(', '),
    ready: item.reports.ready ? `${item.reports.ready.quarterLabel}` : '',
    flags: item.flags.map((f) => FLAG_LABELS[f.code] ?? f.code),
  }));
  return renderFrame({
    title: 'Portfolio',
    eyebrow: 'Coach portfolio',
    heading: 'Your pilots today',
    meta: [`As of ${portfolio.generatedAt}`],
    footer: 'Rates are of the current quarter. Flags are those of the latest ready learning report.',
    body: body({ order: portfolio.order, items }),
    language: 'en',
  });
}
