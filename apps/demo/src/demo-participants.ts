import type { Locale } from '@luotsi/database';
import { BUILTIN_QUESTION_SET, type Question } from '@luotsi/domain';
import { DemoRandom } from './demo-random';
import { FIRST_NAMES, FREE_TEXT, LAST_NAMES, type PilotPlan } from './demo-story';

export interface DemoPerson {
  id?: string;
  email: string;
  name: string;
  locale: Locale;
  /** 0 never answers; 1 answers whenever asked. */
  responsiveness: number;
}

/** The pilot's people, the same every run: names in their language, some who never answer. */
export function peopleOf(pilot: PilotPlan, rng: DemoRandom): DemoPerson[] {
  const locales = Object.entries(pilot.locales) as [Locale, number][];
  return Array.from({ length: pilot.size }, (_, i) => {
    let roll = rng.next();
    const locale = locales.find(([, share]) => (roll -= share) < 0)?.[0] ?? locales[0][0];
    const first = rng.pick(FIRST_NAMES[locale]);
    const last = rng.pick(LAST_NAMES[locale]);
    const local = `${first}.${last}.${i + 1}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '');
    // About one in seven never answers anything; the rest vary.
    const responsiveness = rng.chance(0.14) ? 0 : 0.45 + rng.next() * 0.55;
    return { email: `${local}@${pilot.domain}`, name: `${first} ${last}`, locale, responsiveness };
  });
}

export function participantCsv(people: DemoPerson[], level: string, timeZone: string): string {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ['email,name,locale,level,time_zone'];
  for (const p of people) lines.push([p.email, quote(p.name), p.locale, level, timeZone].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * How a pilot feels in its n-th quarter (0-based): sceptical at first, a dip in the second quarter when
 * the work gets real, then recovery as results arrive.
 */
const MOOD = [0.0, -0.35, 0.45, 0.8];

/** One participant's retrospective answers as the form posts them. */
export function retrospectiveAnswers(
  person: DemoPerson,
  pilotQuarter: number,
  rng: DemoRandom,
): Record<string, string> {
  const mood = MOOD[Math.min(pilotQuarter, MOOD.length - 1)];
  const values: Record<string, string> = {};
  for (const question of BUILTIN_QUESTION_SET.questions as readonly Question[]) {
    switch (question.type) {
      case 'likert5': {
        // Knowledge and ability lag behind awareness and desire; reinforcement comes last.
        const lag = { awareness: 0.4, desire: 0.3, knowledge: -0.2, ability: -0.3, reinforcement: -0.4 };
        const base = 3.2 + mood + (question.adkar ? lag[question.adkar] + 0.25 * pilotQuarter : 0);
        values[question.key] = String(rng.around(base, 1, 1, 5));
        break;
      }
      case 'scale10':
        values[question.key] = String(rng.around(6 + 2 * mood, 1.5, 0, 10));
        break;
      case 'nps':
        values[question.key] = String(rng.around(7 + 1.5 * mood, 2, 0, 10));
        break;
      case 'single_choice':
        if (rng.chance(0.8)) values[question.key] = rng.pick(question.options!).key;
        break;
      case 'free_text': {
        const bank = FREE_TEXT[person.locale];
        const kind =
          question.key === 'what_worked'
            ? 'worked'
            : question.key === 'what_did_not_work'
              ? 'didNot'
              : 'change';
        if (rng.chance(0.45)) values[question.key] = rng.pick(bank[kind]);
        break;
      }
    }
  }
  return values;
}

/** Progress of a key result in week `week` of the pilot's n-th quarter: little in the first, real by the second. */
export function progressAt(pilotQuarter: number, week: number, rng: DemoRandom): number {
  const reach = [0.35, 0.75, 0.9, 1][Math.min(pilotQuarter, 3)];
  return Math.max(0, Math.min(1, reach * (week / 11) + (rng.next() - 0.5) * 0.1));
}

/** Confidence 0–10: it dips in the middle of the second quarter and recovers. */
export function confidenceAt(pilotQuarter: number, week: number, rng: DemoRandom): number {
  const dip = pilotQuarter === 1 && week >= 6 && week <= 8 ? -3 : 0;
  return rng.around(6 + Math.min(pilotQuarter, 2) + dip, 1, 0, 10);
}
