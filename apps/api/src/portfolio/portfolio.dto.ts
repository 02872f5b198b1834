import { ApiProperty } from '@nestjs/swagger';
import { AUDIENCES, PILOT_STATES, QUARTER_STATES, REPORT_STATUSES, STEP_KINDS } from '@luotsi/database';
import { LEARNING_FLAGS } from '@luotsi/domain';

const NAMED = {
  type: 'object' as const,
  required: ['id', 'name'],
  properties: { id: { type: 'string' as const, format: 'uuid' }, name: { type: 'string' as const } },
};

class PortfolioPilotDto {
  @ApiProperty(NAMED) organization: { id: string; name: string };
  @ApiProperty({
    type: 'object',
    required: ['id', 'goal'],
    properties: { id: { type: 'string', format: 'uuid' }, goal: { type: 'string' } },
  })
  rollout: { id: string; goal: string };
  @ApiProperty({
    type: 'object',
    required: ['id', 'name', 'waveNumber', 'state', 'coach', 'mine', 'waitingForReview'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      waveNumber: { type: 'integer' },
      state: { type: 'string', enum: [...PILOT_STATES] },
      coach: { ...NAMED, nullable: true },
      mine: { type: 'boolean', description: 'Coached by the member asking' },
      waitingForReview: {
        type: 'boolean',
        description:
          'Its active quarter has ended and it did not move on by itself: it was set to wait for review, or it was its last quarter',
      },
    },
  })
  pilot: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'The active quarter; else the latest closed; else the first upcoming',
    properties: {
      id: { type: 'string', format: 'uuid' },
      label: { type: 'string', example: '2027-Q1' },
      number: { type: 'integer' },
      state: { type: 'string', enum: [...QUARTER_STATES] },
      startsOn: { type: 'string', format: 'date' },
      endsOn: { type: 'string', format: 'date' },
      week: { type: 'integer', description: 'From 1; 0 before the start; capped at weeksInQuarter' },
      weeksInQuarter: { type: 'integer' },
    },
  })
  quarter: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: "The current quarter's retrospective; null without one",
    properties: {
      invited: { type: 'integer' },
      responded: { type: 'integer' },
      rate: { type: 'number', nullable: true },
    },
  })
  responseRate: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'Due and done weekly check-ins of the current quarter, as the practice signals count them',
    properties: {
      due: { type: 'integer' },
      done: { type: 'integer' },
      share: { type: 'number', nullable: true },
    },
  })
  checkInRhythm: unknown;
  @ApiProperty({
    type: 'array',
    description: 'The next cadence steps of the active quarter not yet dispatched (at most 3)',
    items: {
      type: 'object',
      properties: {
        key: { type: 'string' },
        kind: { type: 'string', enum: [...STEP_KINDS] },
        audience: { type: 'string', enum: [...AUDIENCES] },
        template: { type: 'string' },
        date: { type: 'string', format: 'date' },
        sendTime: { type: 'string', example: '09:00' },
      },
    },
  })
  nextSends: unknown[];
  @ApiProperty({ description: 'Messages of the current quarter that failed for good' })
  failedDeliveries: number;
  @ApiProperty({
    type: 'array',
    description:
      "The pilot's participants whose mail bounced (and who get no mail until a coach clears it), with the reason",
    items: {
      type: 'object',
      properties: {
        participantId: { type: 'string', format: 'uuid' },
        name: { type: 'string' },
        email: { type: 'string' },
        reason: { type: 'string', nullable: true, example: '5.1.1 smtp; 550 5.1.1 User unknown' },
        bouncedAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  bounced: unknown[];
  @ApiProperty({
    type: 'object',
    properties: {
      due: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            quarterId: { type: 'string', format: 'uuid' },
            quarterLabel: { type: 'string' },
            status: { type: 'string', enum: [...REPORT_STATUSES, 'missing'] },
          },
        },
      },
      ready: {
        type: 'object',
        nullable: true,
        properties: {
          id: { type: 'string', format: 'uuid' },
          quarterId: { type: 'string', format: 'uuid' },
          quarterLabel: { type: 'string' },
          builtAt: { type: 'string', format: 'date-time', nullable: true },
        },
      },
    },
  })
  reports: unknown;
  @ApiProperty({
    type: 'array',
    description: 'The flags of the latest ready learning report',
    items: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: [...LEARNING_FLAGS] },
        message: { type: 'string' },
        numbers: { type: 'object', additionalProperties: true },
      },
    },
  })
  flags: unknown[];
  @ApiProperty({
    type: 'array',
    items: {
      type: 'string',
      enum: [
        'failed_deliveries',
        'flags',
        'reports_due',
        'waiting_for_review',
        'low_response_rate',
        'low_checkin_rhythm',
      ],
    },
  })
  attention: string[];
}

export class PortfolioDto {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ description: 'The sort rule, in words' }) order: string;
  @ApiProperty({ type: [PortfolioPilotDto] }) items: PortfolioPilotDto[];
}
