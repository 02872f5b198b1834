import { learningContent } from '../../../../../test/support/report-content';
import type { LearningReportContent } from '../report-content';
import { publishableGroups, publishedMean, publishLearning } from './publication-policy';

const HIDDEN = { suppressed: true, reason: 'fewer than k responses' };

/** A stored report whose builder slipped: a level of 4 shown, and quotes of a language group of 4. */
function slipped(): LearningReportContent {
  const content = learningContent();
  content.response.byLevel[0] = { level: 'board', of: 9, count: 4, rate: 0.4444 };
  content.questions[0].byLevel[0] = { level: 'board', responses: 4, mean: 2.25 };
  const languages = content.themes[0].languages;
  languages[1] = { ...languages[1], quotes: ['Styrelsen lyssnade inte.'], suppressed: false };
  return content;
}

describe('publishableGroups', () => {
  it('hides groups under k', () => {
    const groups = [
      { key: 'a', n: 3 },
      { key: 'b', n: 3 },
      { key: 'c', n: 9 },
      { key: 'd', n: 8 },
    ];
    expect(publishableGroups(groups, 23, 5)).toEqual(new Set(['c', 'd']));
  });

  it('hides the next smallest when the hidden ones together are fewer than k', () => {
    // a (2) alone could be recovered as 20 − 6 − 12; with b (6) hidden too, 8 ≥ 5 are hidden together.
    expect(publishableGroups([{ key: 'a', n: 2 }, { key: 'b', n: 6 }, { key: 'c', n: 12 }], 20, 5)).toEqual(
      new Set(['c']),
    );
  });

  it('hides nothing more when the hidden groups hold no answers or at least k together', () => {
    expect(publishableGroups([{ key: 'a', n: 0 }, { key: 'b', n: 6 }], 6, 5)).toEqual(new Set(['b']));
    expect(publishableGroups([{ key: 'a', n: 3 }, { key: 'b', n: 3 }, { key: 'c', n: 9 }], 15, 5)).toEqual(
      new Set(['c']),
    );
  });

  it('takes an already hidden group (n unknown) into account through the total', () => {
    expect(publishableGroups([{ key: 'a', n: null }, { key: 'b', n: 6 }, { key: 'c', n: 9 }], 17, 5)).toEqual(
      new Set(['c']),
    );
  });

  it('with two groups, hides both or neither', () => {
    expect(publishableGroups([{ key: 'a', n: 4 }, { key: 'b', n: 30 }], 34, 5)).toEqual(new Set());
    expect(publishableGroups([{ key: 'a', n: 5 }, { key: 'b', n: 30 }], 35, 5)).toEqual(new Set(['a', 'b']));
  });
});

describe('publishedMean', () => {
  it('keeps one decimal, half away from zero, and changes nothing twice', () => {
    expect(publishedMean(3.8148)).toBe(3.8);
    expect(publishedMean(3.25)).toBe(3.3);
    expect(publishedMean(publishedMean(3.25))).toBe(3.3);
    expect(publishedMean(null)).toBeNull();
  });
});

describe('publishLearning', () => {
  it('suppresses every group under k for the coach as well, and what would give it away', () => {
    const view = publishLearning(slipped(), 'coach');
    // Board (4) is under k; the managers stay hidden with it, so the two together hold 9.
    expect(view.response.byLevel.map((l) => 'suppressed' in l)).toEqual([true, true, false]);
    expect(view.questions[0].byLevel.slice(0, 2)).toEqual([
      { level: 'board', ...HIDDEN },
      { level: 'management', ...HIDDEN },
    ]);
    // Without the managers' row in the stored report, the staff would give the board away.
    const two = slipped();
    two.pilot.levels = ['board', 'staff'];
    two.response.byLevel = two.response.byLevel.filter((l) => l.level !== 'management');
    two.questions[0].byLevel = two.questions[0].byLevel.filter((l) => l.level !== 'management');
    two.response.count = 27;
    two.questions[0].responses = 27;
    const twoView = publishLearning(two, 'coach');
    expect(twoView.response.byLevel).toEqual([
      { level: 'board', ...HIDDEN },
      { level: 'staff', ...HIDDEN },
    ]);
    expect(twoView.questions[0].byLevel).toEqual([
      { level: 'board', ...HIDDEN },
      { level: 'staff', ...HIDDEN },
    ]);
    expect(view.themes[0].languages[1]).toMatchObject({ locale: 'sv', terms: [], quotes: [], suppressed: true });
    expect(view.themes[0].languages[0]).toEqual(learningContent().themes[0].languages[0]);
  });

  it('publishes means to one decimal', () => {
    const content = learningContent();
    content.questions[0].mean = 3.8148;
    content.questions[0].trend[0].mean = 3.8148;
    const view = publishLearning(content, 'coach');
    expect(view.questions[0].mean).toBe(3.8);
    expect(view.questions[0].trend[0].mean).toBe(3.8);
  });

  it('withholds a question, NPS and ADKAR answered by fewer than k, keeping the count', () => {
    const content = learningContent();
    content.questions[0] = { ...content.questions[0], responses: 4 };
    content.nps = { responses: 4, promoters: 1, passives: 2, detractors: 1, score: 0 };
    content.adkar = [{ element: 'awareness', responses: 4, mean: 2, barrier: true }];
    const view = publishLearning(content, 'coach');
    expect(view.questions[0]).toMatchObject({ responses: 4, distribution: [], mean: null, median: null });
    expect(view.questions[0].trend).toEqual([]);
    expect(view.nps).toBeNull();
    expect(view.adkar).toEqual([]);
    expect(view.comparison.find((c) => c.self)?.nps).toBeNull();
  });

  it('shows nothing from answers of an anonymous or confidential run before it closes', () => {
    for (const anonymity of ['anonymous', 'confidential'] as const) {
      const content = learningContent();
      content.retrospective = { ...content.retrospective!, anonymity, state: 'open' };
      const view = publishLearning(content, 'coach');
      expect(view.response).toMatchObject({ of: content.response.of, count: content.response.count });
      expect(view.response.byLevel.every((l) => 'suppressed' in l)).toBe(true);
      expect(view.questions).toEqual([]);
      expect(view.nps).toBeNull();
      expect(view.adkar).toEqual([]);
      expect(view.themes).toEqual([]);
    }
  });

  it('leaves a sponsor no per-person rhythm and no theme-less language, and the stored content untouched', () => {
    const content = slipped();
    content.practice.rhythm.people = [{ participantId: 'p1', due: 3, done: 1, share: 0.3333 }];
    const view = publishLearning(content, 'sponsor');
    expect(view.themes.map((q) => [q.key, q.languages.map((l) => l.locale)])).toEqual([['what_worked', ['fi']]]);
    expect(view.practice.rhythm.people).toEqual([]);
    expect(JSON.stringify(view)).not.toMatch(/Styrelsen|styrelsemöten|2\.25|0\.4444/);
    expect(content.practice.rhythm.people).toHaveLength(1);
  });

  it('gives a share link no per-person rhythm, whatever its audience', () => {
    const content = learningContent();
    content.practice.rhythm.people = [{ participantId: 'p1', due: 3, done: 1, share: 0.3333 }];
    expect(publishLearning(content, 'coach').practice.rhythm.people).toHaveLength(1);
    expect(publishLearning(content, 'coach', 'link').practice.rhythm.people).toEqual([]);
    expect(publishLearning(content, 'coach', 'link').themes).toHaveLength(content.themes.length);
  });

  it('never takes k below 3, and applying it twice changes nothing', () => {
    const content = slipped();
    content.retrospective = { ...content.retrospective!, minGroupSize: 1 };
    content.questions[0].byLevel[0] = { level: 'board', responses: 2, mean: 2.5 };
    const once = publishLearning(content, 'coach');
    expect(once.questions[0].byLevel[0]).toMatchObject({ suppressed: true });
    expect(publishLearning(once, 'coach')).toEqual(once);
  });
});
