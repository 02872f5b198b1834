import { learningContent } from '../../../../../test/support/report-content';
import { learningView } from './audience-view';

/** A stored report whose builder slipped: a level of 4 shown, and quotes of a language group of 4. */
function slipped() {
  const content = learningContent();
  content.response.byLevel[0] = { level: 'board', of: 9, count: 4, rate: 0.4444 };
  content.questions[0].byLevel[0] = { level: 'board', responses: 4, mean: 2.25 };
  content.themes[1] = { ...content.themes[1], quotes: ['Styrelsen lyssnade inte.'], suppressed: false };
  return content;
}

describe('learningView', () => {
  it('suppresses every group under k for the coach as well, and keeps the rest as built', () => {
    const view = learningView(slipped(), 'coach');
    expect(view.response.byLevel[0]).toEqual({ level: 'board', suppressed: true, reason: 'fewer than k responses' });
    expect(view.questions[0].byLevel[0]).toEqual({
      level: 'board',
      suppressed: true,
      reason: 'fewer than k responses',
    });
    expect(view.themes[1]).toMatchObject({ locale: 'sv', quotes: [], suppressed: true });
    // The coach still sees the small group's words (never its quotes); the large group is untouched.
    expect(view.themes[1].terms).toEqual([{ term: 'styrelsemöten', count: 3 }]);
    expect(view.themes[0]).toEqual(learningContent().themes[0]);
    expect(view.response.byLevel[1]).toEqual(learningContent().response.byLevel[1]);
  });

  it('leaves a sponsor no free text of a group under k and no per-person rhythm', () => {
    const content = slipped();
    content.practice.rhythm.people = [{ participantId: 'p1', due: 3, done: 1, share: 0.3333 }];
    const view = learningView(content, 'sponsor');
    expect(view.themes.map((t) => t.locale)).toEqual(['fi']);
    expect(view.practice.rhythm.people).toEqual([]);
    expect(JSON.stringify(view)).not.toMatch(/Styrelsen|styrelsemöten|2\.25|0\.4444/);
  });

  it('never takes k below 3', () => {
    const content = slipped();
    content.retrospective = { ...content.retrospective!, minGroupSize: 1 };
    content.questions[0].byLevel[0] = { level: 'board', responses: 2, mean: 2.5 };
    expect(learningView(content, 'coach').questions[0].byLevel[0]).toMatchObject({ suppressed: true });
  });
});
