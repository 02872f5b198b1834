/** The closed sets of the domain, shared by entities, DTOs and validation. */
export const MEMBER_ROLES = ['owner', 'coach', 'sponsor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const SECTORS = ['company', 'public', 'nonprofit'] as const;
export type Sector = (typeof SECTORS)[number];

export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const LEVELS = ['board', 'management', 'staff', 'volunteers'] as const;
export type Level = (typeof LEVELS)[number];

export const ROLLOUT_STATUSES = ['planning', 'piloting', 'scaling', 'complete'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const PILOT_STATES = ['planned', 'running', 'in_review', 'graduated', 'extended', 'stopped'] as const;
export type PilotState = (typeof PILOT_STATES)[number];

export const QUARTER_STATES = ['upcoming', 'active', 'closed'] as const;
export type QuarterState = (typeof QUARTER_STATES)[number];
