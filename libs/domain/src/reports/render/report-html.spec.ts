import { COUNTS, learningContent, readinessContent } from '../../../../../test/support/report-content';
import { storedLearning } from '../learning/stored-learning';
import { publishLearning } from '../publication/publication-policy';
import { gateMeasures, renderChart, responseByLevelChart } from './report-charts';
import { renderLearningHtml, renderReadinessHtml } from './report-html';

const svgTitles = (html: string) => [...html.matchAll(/<svg[^>]*role="img"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);

describe('report pages', () => {
  it('renders the learning report with titled inline SVG charts and question texts in the reader language', async () => {
    const html = await renderLearningHtml(publishLearning(learningContent(), 'coach'), {
      audience: 'coach',
      language: 'en',
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<html lang="en">');
    expect(svgTitles(html)).toEqual([
      'Retrospective response rate by level',
      'Answers to “Our OKRs guided my weekly priorities.”: how many chose each point',
      'Answers to “How likely are you to recommend this way of working?”: how many chose each point',
      'Key results by score band',
      'Confidence by week for each key result',
      'Response rate and check-in rhythm of each pilot of the rollout',
    ]);
    expect(html).toContain('<span lang="en">Our OKRs guided my weekly priorities.</span>');
    expect(html).toContain(`${((COUNTS.responded / COUNTS.invited) * 100).toFixed(1)}%`);
    expect(html).toContain('Not shown: fewer than 5 responses');
    expect(html).toContain('@page');
  });

  it('renders the themes of each free-text question, and of a report stored before they were per question', async () => {
    const themes = (html: string) => html.slice(html.indexOf('<section aria-labelledby="s-themes">'));
    const html = themes(
      await renderLearningHtml(publishLearning(learningContent(), 'coach'), { audience: 'coach', language: 'en' }),
    );
    expect(html).toContain('<h3 id="t-0"><span lang="en">What worked?</span></h3>');
    expect(html).toContain('<p class="meta">31 answers</p>');
    expect(html).toContain('<h4>Finnish: 22 answers</h4>');
    expect(html).toContain('<span lang="fi">viikkopalaverit (9), tavoitteet (7)</span>');
    expect(html).toContain('<span lang="fi">yhteinen suunta (4)</span>');
    expect(html).toContain('<blockquote lang="fi">Viikkopalaverit toimivat ja auttoivat keskittymään.</blockquote>');
    expect(html).toContain('Not shown: Swedish, English (fewer than 5 answers each).');
    expect(html).not.toContain('styrelsemöten');

    const { themes: current, ...rest } = learningContent();
    const old = storedLearning({ content: { ...rest, version: 1, themes: current[0].languages }, builtAt: null });
    const pooled = themes(await renderLearningHtml(publishLearning(old, 'sponsor'), { audience: 'sponsor', language: 'en' }));
    expect(pooled).toContain('<h3 id="t-0">All free-text questions</h3>');
    expect(pooled).toContain('<span lang="fi">viikkopalaverit (9), tavoitteet (7)</span>');
    expect(pooled).not.toContain('Swedish');
  });

  it('renders the learning report in Finnish: labels, question texts, quarters and numbers', async () => {
    const html = await renderLearningHtml(publishLearning(learningContent(), 'coach'), {
      audience: 'coach',
      language: 'fi',
    });
    expect(html).toContain('<html lang="fi">');
    expect(svgTitles(html)).toContain(
      'Vastaukset kysymykseen ”OKR:t ohjasivat viikoittaisia prioriteettejani.”: montako valitsi kunkin kohdan',
    );
    expect(html).toContain('<span lang="fi">OKR:t ohjasivat viikoittaisia prioriteettejani.</span>');
    // 2027-Q1 as Finnish writes it, and a share with a decimal comma and a spaced per cent sign.
    expect(html).toContain('Q1/2027');
    expect(html).not.toContain('2027-Q1');
    const share = ((COUNTS.responded / COUNTS.invited) * 100).toFixed(1).replace('.', ',');
    expect(html).toMatch(new RegExp(`${share}\\s%`));
    expect(html).toContain('Ei näytetä: alle 5 vastaajaa');
    expect(html).toContain('Asteikko 1–5 · 32 vastausta');
    expect(html).not.toContain('Not shown');
  });

  it('renders the readiness report with its gates and verdict', async () => {
    const html = await renderReadinessHtml(readinessContent(), { audience: 'sponsor', language: 'en' });
    expect(svgTitles(html)).toEqual([
      'Readiness gates: passed and failed',
      'Measured shares of the readiness gates against their thresholds',
    ]);
    expect(html).toContain('Ready with conditions</strong>: Check-in rhythm did not pass.');
    // Written from the gate's numbers, not its stored sentence (which the fixture words differently).
    expect(html).toContain('42 of 60 due weekly check-ins were done (70.0%), against at least 75.0%.');
    // A gate whose stored numbers lack what its sentence needs shows the stored sentence.
    expect(html).toContain('<p>Healthy.</p>');
  });

  it('renders the readiness report in Swedish, its gates written from their numbers', async () => {
    const html = await renderReadinessHtml(readinessContent(), { audience: 'sponsor', language: 'sv' });
    expect(html).toContain('Redo med villkor</strong>: Incheckningsrytm godkändes inte.');
    expect(html).toMatch(/42 av 60 veckoincheckningar gjordes \(70,0\s%\), mot minst 75,0\s%\./);
    expect(html).not.toContain('did not pass');
  });

  it('pairs gate numbers with their thresholds', () => {
    const rows = gateMeasures(readinessContent().gates);
    expect(rows).toContainEqual({ gate: 'checkin rhythm', measure: 'rhythm', value: 0.7, threshold: 0.75, kind: 'min' });
    expect(rows).toContainEqual({ gate: 'response rate', measure: 'responseRate', value: 0.675, threshold: 0.5, kind: 'min' });
  });

  it('escapes what people typed, in the page and in the charts', async () => {
    const content = learningContent({}, { pilot: '<script>alert(1)</script> & "co"' });
    content.practice.confidence[0].title = '</text><script>alert(2)</script>';
    const html = await renderLearningHtml(content, { audience: 'coach', language: 'en' });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const svg = await renderChart(responseByLevelChart([{ level: 'staff', rate: 0.5, count: 1, of: 2 }])!);
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-label="Retrospective response rate by level"/);
  });

  it('puts every table in a named region that scrolls sideways by itself, so a phone page stays narrow', async () => {
    const pages = [
      await renderLearningHtml(publishLearning(learningContent(), 'coach'), { audience: 'coach', language: 'fi' }),
      await renderReadinessHtml(readinessContent(), { audience: 'sponsor', language: 'fi' }),
    ];
    for (const html of pages) {
      const tables = html.match(/<table>/g) ?? [];
      const wrapped = [...html.matchAll(/<div class="table-wrap" role="region" tabindex="0" aria-label="([^"]+)"><table>/g)];
      expect(tables.length).toBeGreaterThan(2);
      expect(wrapped).toHaveLength(tables.length);
      expect(wrapped.map((m) => m[1])).not.toContain('Taulukko');
      expect(html).toMatch(/\.table-wrap\{overflow-x:auto/);
      // Printed, a table is shown whole rather than cut at the region's edge.
      expect(html).toMatch(/@media print\{[^@]*\.table-wrap\{overflow:visible\}/);
    }
  });
});
