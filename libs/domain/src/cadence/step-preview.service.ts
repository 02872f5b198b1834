import { Injectable } from '@nestjs/common';
import type { Locale } from '@luotsi/database';
import { isTemplateName, MailRenderer, TEMPLATE_SAMPLES, type TemplateContent } from '@luotsi/mail';
import { ConflictError, NotFoundError } from '../common/errors';
import { CadenceService } from './cadence.service';
import { CadenceStore } from './cadence.store';

/** A step's mail as one participant would receive it. */
export interface StepPreview {
  pilotId: string;
  quarterId: string;
  participantId: string;
  stepKey: string;
  template: string;
  locale: Locale;
  /** Whose text it is: the step's own, a template override (its scope), or the built-in template. */
  source: 'step' | 'rollout' | 'organization' | 'workspace' | 'builtin';
  subject: string;
  text: string;
  html: string;
}

const DAY_MS = 24 * 3600 * 1000;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * Renders any step of a pilot's plan for any of its participants: the person's language, name, the
 * quarter's facts on the step's day and the text that would apply (the step's own, else the most specific
 * template override, else the built-in). Links and what a send adds per mail (a check-in's key results,
 * a survey's first question) are the template's sample values: a preview mints no token.
 */
@Injectable()
export class StepPreviewService {
  constructor(
    private readonly cadence: CadenceService,
    private readonly store: CadenceStore,
    private readonly renderer: MailRenderer,
  ) {}

  async preview(
    pilotId: string,
    stepKey: string,
    participantId: string,
    quarterId?: string,
  ): Promise<StepPreview> {
    const plan = await this.cadence.pilotPlan(pilotId);
    const step = plan.steps.find((s) => s.key === stepKey);
    if (!step) throw new NotFoundError('cadence step');
    if (!isTemplateName(step.template)) throw new NotFoundError('template');
    const quarter = quarterId ?? (await this.store.previewQuarter(pilotId));
    if (!quarter) throw new ConflictError('The pilot has no quarter to preview the step in.');
    const facts = await this.store.previewFacts(pilotId, quarter, participantId, step.template);
    if (!facts)
      throw new NotFoundError(quarterId ? 'participant or quarter of the pilot' : 'participant of the pilot');

    const day = addDays(step.anchor === 'start' ? facts.startsOn : facts.endsOn, step.offsetDays);
    const sample = TEMPLATE_SAMPLES[step.template] as unknown as Record<string, unknown>;
    const data: Record<string, unknown> = {
      ...sample,
      recipient: { name: facts.name, firstName: facts.name.split(/\s+/)[0] },
      organization: { name: facts.organizationName },
      pilot: { name: facts.pilotName, waveNumber: facts.waveNumber },
      quarter: {
        label: facts.label,
        number: facts.number,
        week: Math.max(1, Math.floor(daysBetween(facts.startsOn, day) / 7) + 1),
        weeksLeft: Math.max(0, Math.ceil(daysBetween(day, facts.endsOn) / 7)),
        endsOn: facts.endsOn,
      },
    };
    if (facts.coachName) data.coach = { name: facts.coachName };
    else delete data.coach;

    const own = step.texts?.[facts.locale];
    const content: TemplateContent | undefined =
      own ??
      (facts.overrideSubject !== null && facts.overrideBody !== null
        ? { subject: facts.overrideSubject, body: facts.overrideBody }
        : undefined);
    const mail = this.renderer.render(step.template, facts.locale, data, content);
    return {
      pilotId,
      quarterId: quarter,
      participantId,
      stepKey,
      template: step.template,
      locale: facts.locale,
      source: own ? 'step' : (facts.overrideScope ?? 'builtin'),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    };
  }
}
