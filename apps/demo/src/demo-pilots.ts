import type { DemoPerson } from './demo-participants';
import { OrganizationPlan, PilotPlan, QUARTERS } from './demo-story';

export interface KeyResultState {
  id: string;
  ownerId: string;
  kind: 'committed' | 'aspirational';
  measure: 'metric' | 'milestone' | 'binary';
  start: number | null;
  target: number | null;
}

/** A pilot of the story as the simulation follows it: its plan, its people and the ids the API gave. */
export interface PilotState {
  plan: PilotPlan;
  organization: OrganizationPlan;
  organizationId: string;
  rolloutId: string;
  id?: string;
  people: DemoPerson[];
  byEmail: Map<string, DemoPerson>;
  /** The pilot's quarters in order, from the API. */
  quarters: { id: string; label: string }[];
  keyResults: KeyResultState[];
}

/** Which of its own quarters (from 0) the pilot is in during calendar quarter q. */
export const pilotQuarter = (pilot: PilotState, q: number): number =>
  q - QUARTERS.indexOf(pilot.plan.startQuarter as never);

/** Pilots in one of their quarters in calendar quarter q. */
export const running = (pilots: PilotState[], q: number): PilotState[] =>
  pilots.filter((p) => {
    const n = p.id ? pilotQuarter(p, q) : -1;
    return n >= 0 && n < p.plan.quarters;
  });

/** The people who own the pilot's key results. */
export const owners = (pilot: PilotState): DemoPerson[] =>
  pilot.people.filter((p) => p.id).slice(0, Math.min(6, pilot.people.length));
