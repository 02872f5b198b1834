import { DemoClient } from './demo-client';
import { confidenceAt, progressAt, retrospectiveAnswers } from './demo-participants';
import type { DemoMailbox } from './demo-mailbox';
import { owners, pilotQuarter, running, type PilotState } from './demo-pilots';
import type { DemoRandom } from './demo-random';

/** The simulated people: they answer through the links in their mail, some more reliably than others. */
export class DemoAnswers {
  constructor(
    private readonly baseUrl: string,
    private readonly mailbox: DemoMailbox,
    private readonly rng: DemoRandom,
  ) {}

  /** Owners of key results check in on the week's request: progress, done, confidence. */
  async checkIns(pilots: PilotState[], q: number, week: number): Promise<void> {
    const since = await this.mailbox.now();
    for (const pilot of running(pilots, q)) {
      const n = pilotQuarter(pilot, q);
      const checking = owners(pilot).filter((p) => this.rng.chance(p.responsiveness));
      const links = await this.mailbox.links(
        '/c/',
        checking.map((p) => p.email),
      );
      const participant = new DemoClient(this.baseUrl);
      for (const owner of checking) {
        const link = links.get(owner.email);
        if (!link) continue;
        const values: Record<string, string> = {};
        for (const kr of pilot.keyResults.filter((k) => k.ownerId === owner.id)) {
          const progress = progressAt(n, week, this.rng);
          if (kr.measure === 'metric') {
            const value = kr.start! + (kr.target! - kr.start!) * progress;
            values[`value.${kr.id}`] = String(Math.round(value * 10) / 10);
          } else values[`done.${kr.id}`] = progress > 0.7 ? 'yes' : 'no';
          values[`confidence.${kr.id}`] = String(confidenceAt(n, week, this.rng));
        }
        await participant.form(link, values);
      }
    }
    this.mailbox.readUntil(since);
  }

  /** Some of the invited answer the retrospective, on the invitation or on the reminder. */
  async retrospectives(pilots: PilotState[], q: number): Promise<void> {
    const since = await this.mailbox.now();
    for (const pilot of running(pilots, q)) {
      const n = pilotQuarter(pilot, q);
      const answering = pilot.people.filter((p) => this.rng.chance(p.responsiveness * 0.6));
      const links = await this.mailbox.links(
        '/r/',
        answering.map((p) => p.email),
      );
      const participant = new DemoClient(this.baseUrl);
      for (const person of answering) {
        const link = links.get(person.email);
        if (link) await participant.form(link, retrospectiveAnswers(person, n, this.rng));
      }
    }
    this.mailbox.readUntil(since);
  }
}
