import type { LearningReportContent, Theme } from '../report-content';
import { sponsorView } from './sponsor-view';

const theme = (locale: Theme['locale'], responses: number, suppressed = false): Theme => ({
  locale,
  responses,
  terms: suppressed ? [] : [{ term: 'tavoitteet', count: 2 }],
  phrases: [],
  quotes: suppressed ? [] : ['Tavoitteet olivat selkeät'],
  suppressed,
});

const content = {
  retrospective: { id: 'r', anonymity: 'anonymous', minGroupSize: 5, state: 'closed' },
  response: {
    of: 20,
    count: 13,
    rate: 0.65,
    byLevel: [
      { level: 'board', of: 4, count: 4, rate: 1 },
      { level: 'staff', of: 16, count: 9, rate: 0.5625 },
    ],
  },
  questions: [
    {
      key: 'q',
      byLevel: [
        { level: 'board', responses: 4, mean: 3 },
        { level: 'staff', suppressed: true, reason: 'fewer than k responses' },
      ],
    },
  ],
  practice: { rhythm: { due: 2, done: 1, share: 0.5, people: [{ participantId: 'p', due: 2, done: 1, share: 0.5 }] } },
  themes: [theme('fi', 9), theme('sv', 0, true), theme('en', 4)],
} as unknown as LearningReportContent;

describe('the sponsor view of a learning report', () => {
  const view = sponsorView(content);

  it('keeps only themes of language groups with at least k responses, quotes and all', () => {
    expect(view.themes).toEqual([theme('fi', 9)]);
  });

  it('suppresses any breakdown under k, even one a stored report let through', () => {
    expect(view.response.byLevel).toEqual([
      { level: 'board', suppressed: true, reason: 'fewer than k responses' },
      { level: 'staff', of: 16, count: 9, rate: 0.5625 },
    ]);
    expect(view.questions[0].byLevel[0]).toEqual({ level: 'board', suppressed: true, reason: 'fewer than k responses' });
  });

  it('leaves out the per-person check-in rhythm, and the stored content untouched', () => {
    expect(view.practice.rhythm).toEqual({ due: 2, done: 1, share: 0.5, people: [] });
    expect(content.practice.rhythm.people).toHaveLength(1);
    expect(content.themes).toHaveLength(3);
  });
});
