/** What the built reports' store (`reports.store.ts`) reads out, row by row. */

/** A learning report stored as ready, as its webhook announces it. */
export interface ReadyLearningReport {
  workspace_id: string;
  organization_id: string;
  pilot_id: string;
  quarter_id: string;
  generation: number;
  built_at: Date;
}

/** A readiness report stored as ready, as its webhook announces it. */
export interface ReadyReadinessReport {
  workspace_id: string;
  organization_id: string;
  rollout_id: string;
  verdict: string | null;
  built_at: Date;
}

/** A ready report with the quarter its mail hangs on and its readers. */
export interface ReportReaders {
  workspaceId: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  coachId: string | null;
}

/** A mailed report and whether the member it goes to may still read it. */
export interface MailedReport {
  organizationId: string;
  status: string;
  entitled: boolean;
  /** A readiness report's rollout. */
  rolloutId?: string;
  /** Whether the reader accepted their invitation, so can sign in to the console (readiness reports). */
  hasAccount?: boolean;
}

/** A stored report as the formats serve it. */
export interface StoredReport {
  id: string;
  /** The build it holds (a printed PDF is kept per generation). */
  generation: number;
  workspaceId: string;
  status: string;
  progress: number;
  content: unknown;
  builtAt: Date | null;
  organizationId: string;
}

/** A pilot's latest ready learning report, for the readiness evidence. */
export interface LatestLearningReport {
  report_id: string;
  pilot_id: string;
  pilot_name: string;
  wave_number: number;
  quarter_label: string;
  content: unknown;
  built_at: Date | null;
}

/** A stored report's content, as an erasure reads and redacts it. */
export interface StoredContent {
  id: string;
  content: unknown;
}
