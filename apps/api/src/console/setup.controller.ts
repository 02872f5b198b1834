import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { LEVELS, LOCALES, SECTORS, type Organization, type Rollout } from '@luotsi/database';
import {
  Clock,
  ConflictError,
  formatQuarterLabel,
  InvalidInputError,
  MemberService,
  nextQuarter,
  OrganizationService,
  ParticipantService,
  PilotService,
  RolloutService,
  type CalendarQuarter,
  type PilotView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../common/auth';
import { Id } from '../common/params';
import { CreateOrganizationDto } from '../organizations/organization.dto';
import { CreatePilotDto } from '../pilots/pilot.dto';
import { CreateRolloutDto } from '../rollouts/rollout.dto';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, integer, list, str, text, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';

type Form = Record<string, unknown>;

/** Everything a page lists at once; a workspace has far fewer organizations, rollouts and pilots. */
const ALL = { limit: 200, offset: 0 };

/** Time zones offered for a client organization; one stored through the API is kept in the list. */
const TIME_ZONES = [
  'Europe/Helsinki',
  'Europe/Stockholm',
  'Europe/Tallinn',
  'Europe/Oslo',
  'Europe/Copenhagen',
  'Europe/Berlin',
  'Europe/London',
  'UTC',
];

/** How many quarters the start-quarter select offers, beginning with the current one. */
const START_QUARTERS = 6;

/**
 * Setting up a client: organizations, their rollouts and the rollouts' pilots, through the same services
 * and DTOs as the API. Sponsors see the organizations granted to them; only owners and coaches change
 * anything (the access guard refuses a sponsor's POST; the forms themselves name the writing roles).
 */
@ApiExcludeController()
@Controller('app')
export class SetupController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly organizations: OrganizationService,
    private readonly rollouts: RolloutService,
    private readonly pilots: PilotService,
    private readonly participants: ParticipantService,
    private readonly members: MemberService,
    private readonly clock: Clock,
  ) {}

  // Organizations

  @Get('organizations')
  async organizationList(@Req() request: ConsoleRequest, @Res() response: Response) {
    const { items, total } = await this.organizations.list(ALL);
    this.pages.send(request, response, 'setup/organizations', 'setup:organizations.title', {
      organizations: items,
      more: total > items.length,
      canWrite: canWrite(request),
    });
  }

  @Roles('owner', 'coach')
  @Get('organizations/new')
  newOrganization(@Req() request: ConsoleRequest, @Res() response: Response) {
    this.sendOrganizationForm(request, response, null, {
      defaultLocale: languageOf(request),
      timeZone: 'Europe/Helsinki',
    });
  }

  @Roles('owner', 'coach')
  @Post('organizations/new')
  async createOrganization(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const values = organizationValues(body);
    const form = await checkForm(
      CreateOrganizationDto,
      organizationFields(body),
      languageOf(request),
      organizationLabels(request),
    );
    if (!form.value) return this.sendOrganizationForm(request, response, null, values, form.errors);
    try {
      const organization = await this.organizations.create(form.value);
      this.pages.redirect(response, `/app/organizations/${organization.id}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.sendOrganizationForm(
        request,
        response,
        null,
        values,
        fieldErrorsOf(error, organizationLabels(request)),
      );
    }
  }

  @Get('organizations/:id')
  async organization(
    @Param('id', Id('organization')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const organization = await this.organizations.get(id);
    const { items } = await this.rollouts.list(ALL, { organizationId: id });
    const rollouts = await Promise.all(
      items.map(async (rollout) => ({ ...rollout, pilots: (await this.pilots.list(rollout.id, ALL)).items })),
    );
    this.pages.send(request, response, 'setup/organization', 'setup:organization.title', {
      name: organization.name,
      organization,
      rollouts,
      canWrite: canWrite(request),
    });
  }

  @Roles('owner', 'coach')
  @Get('organizations/:id/edit')
  async editOrganization(
    @Param('id', Id('organization')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const organization = await this.organizations.get(id);
    this.sendOrganizationForm(request, response, organization, {
      name: organization.name,
      sector: organization.sector,
      headcount: String(organization.headcount),
      defaultLocale: organization.defaultLocale,
      timeZone: organization.timeZone,
    });
  }

  @Roles('owner', 'coach')
  @Post('organizations/:id/edit')
  async updateOrganization(
    @Param('id', Id('organization')) id: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const organization = await this.organizations.get(id);
    const values = organizationValues(body);
    // Every field is on the form, so the edit is checked as a whole organization, not as a patch.
    const form = await checkForm(
      CreateOrganizationDto,
      organizationFields(body),
      languageOf(request),
      organizationLabels(request),
    );
    if (!form.value) return this.sendOrganizationForm(request, response, organization, values, form.errors);
    try {
      await this.organizations.update(id, form.value);
      this.pages.redirect(response, `/app/organizations/${id}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.sendOrganizationForm(
        request,
        response,
        organization,
        values,
        fieldErrorsOf(error, organizationLabels(request)),
      );
    }
  }

  // Rollouts

  @Roles('owner', 'coach')
  @Get('organizations/:id/rollouts/new')
  async newRollout(
    @Param('id', Id('organization')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const organization = await this.organizations.get(id);
    this.sendRolloutForm(request, response, organization, {
      targetHeadcount: String(organization.headcount),
      plannedWaves: '3',
    });
  }

  @Roles('owner', 'coach')
  @Post('organizations/:id/rollouts/new')
  async createRollout(
    @Param('id', Id('organization')) id: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const organization = await this.organizations.get(id);
    const values = {
      goal: str(body.goal),
      targetHeadcount: str(body.targetHeadcount),
      plannedWaves: str(body.plannedWaves),
    };
    const form = await checkForm(
      CreateRolloutDto,
      {
        organizationId: organization.id,
        goal: text(body.goal),
        targetHeadcount: integer(body.targetHeadcount),
        plannedWaves: integer(body.plannedWaves),
      },
      languageOf(request),
      rolloutLabels(request),
    );
    if (!form.value) return this.sendRolloutForm(request, response, organization, values, form.errors);
    const rollout = await this.rollouts.create(form.value);
    this.pages.redirect(response, `/app/rollouts/${rollout.id}`);
  }

  @Get('rollouts/:id')
  async rollout(
    @Param('id', Id('rollout')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const rollout = await this.rollouts.get(id);
    const organization = await this.organizations.get(rollout.organizationId);
    const pilots = (await this.pilots.list(id, ALL)).items;
    const coaches = await this.coachNames(request, pilots);
    const rows = await Promise.all(
      pilots.map(async (pilot) => ({
        ...pilot,
        coachName: pilot.coachId ? coaches.get(pilot.coachId) : undefined,
        participants: (await this.participants.listForPilot(pilot.id, { limit: 1, offset: 0 })).total,
      })),
    );
    this.pages.send(request, response, 'setup/rollout', 'setup:rollout.title', {
      name: organization.name,
      organization,
      rollout,
      pilots: rows,
      // The set-up steps matter until the first pilot starts, and only to those who do them.
      tasks:
        canWrite(request) && rows.every((pilot) => pilot.state === 'planned') ? setUpTasks(id, rows) : null,
      canWrite: canWrite(request),
    });
  }

  // Pilots

  @Roles('owner', 'coach')
  @Get('rollouts/:id/pilots/new')
  async newPilot(
    @Param('id', Id('rollout')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { rollout, organization } = await this.rolloutWithOrganization(id);
    const pilots = await this.pilots.pilotsOfRollout(id);
    const quarters = this.startQuarters(organization);
    await this.sendPilotForm(request, response, rollout, organization, {
      waveNumber: String(Math.max(1, ...pilots.map((pilot) => pilot.waveNumber))),
      levels: [],
      startQuarter: quarters[1],
      quarterCount: '4',
      // Whoever sets the pilot up usually coaches it.
      coachId: request.member?.id ?? '',
    });
  }

  @Roles('owner', 'coach')
  @Post('rollouts/:id/pilots/new')
  async createPilot(
    @Param('id', Id('rollout')) id: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { rollout, organization } = await this.rolloutWithOrganization(id);
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = pilotLabels(request);
    const values = {
      name: str(body.name),
      waveNumber: str(body.waveNumber),
      levels: list(body.levels),
      startQuarter: str(body.startQuarter),
      quarterCount: str(body.quarterCount),
      scope: str(body.scope),
      successCriteria: str(body.successCriteria),
      decisionDate: str(body.decisionDate),
      coachId: str(body.coachId),
    };
    const charter = {
      scope: text(body.scope),
      successCriteria: text(body.successCriteria),
      decisionDate: text(body.decisionDate),
    };
    const form = await checkForm(
      CreatePilotDto,
      {
        name: text(body.name),
        waveNumber: integer(body.waveNumber),
        levels: values.levels,
        startQuarter: text(body.startQuarter),
        quarterCount: integer(body.quarterCount),
        charter: Object.fromEntries(Object.entries(charter).filter(([, v]) => v !== undefined)),
        coachId: text(body.coachId),
      },
      language,
      labels,
    );
    const again = (errors: FieldError[]) =>
      this.sendPilotForm(request, response, rollout, organization, values, errors);
    if (!form.value)
      return again(
        form.errors.map((error) => {
          // The form's names for the charter's fields, and messages of its own for the choices.
          const field = error.field.replace(/^charter\./, '');
          if (field === 'levels') return { field, message: t('setup:pilotForm.errors.levels') };
          if (field === 'startQuarter') return { field, message: t('setup:pilotForm.errors.startQuarter') };
          return { ...error, field };
        }),
      );
    try {
      const pilot = await this.pilots.create(id, form.value);
      this.pages.redirect(response, `/app/pilots/${pilot.id}`);
    } catch (error) {
      if (error instanceof InvalidInputError) return again(fieldErrorsOf(error, labels));
      if (error instanceof ConflictError)
        return again([{ field: '', message: t('setup:pilotForm.errors.rolloutComplete') }]);
      throw error;
    }
  }

  // Helpers

  private sendOrganizationForm(
    request: ConsoleRequest,
    response: Response,
    organization: Organization | null,
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) {
    const zones =
      TIME_ZONES.includes(values.timeZone) || !values.timeZone
        ? TIME_ZONES
        : [values.timeZone, ...TIME_ZONES];
    this.pages.send(
      request,
      response,
      'setup/organization-form',
      organization ? 'setup:organizationForm.editTitle' : 'setup:organizationForm.title',
      {
        name: organization?.name,
        organization,
        action: organization ? `/app/organizations/${organization.id}/edit` : '/app/organizations/new',
        back: organization ? `/app/organizations/${organization.id}` : '/app/organizations',
        values,
        errors,
        sectors: SECTORS.map((value) => ({ value, selected: value === values.sector })),
        locales: LOCALES.map((value) => ({ value, selected: value === values.defaultLocale })),
        zones: zones.map((value) => ({ value, selected: value === values.timeZone })),
      },
      errors.length ? 422 : 200,
    );
  }

  private sendRolloutForm(
    request: ConsoleRequest,
    response: Response,
    organization: Organization,
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) {
    this.pages.send(
      request,
      response,
      'setup/rollout-form',
      'setup:rolloutForm.title',
      { name: organization.name, organization, values, errors },
      errors.length ? 422 : 200,
    );
  }

  private async sendPilotForm(
    request: ConsoleRequest,
    response: Response,
    rollout: Rollout,
    organization: Organization,
    values: Record<string, string | string[]> & { levels: string[] },
    errors: FieldError[] = [],
  ) {
    const quarters = this.startQuarters(organization);
    if (values.startQuarter && !quarters.includes(String(values.startQuarter)))
      quarters.unshift(String(values.startQuarter));
    const coaches = (await this.members.list(ALL)).items.filter((member) => member.role !== 'sponsor');
    this.pages.send(
      request,
      response,
      'setup/pilot-form',
      'setup:pilotForm.title',
      {
        name: organization.name,
        organization,
        rollout,
        values,
        errors,
        levels: LEVELS.map((value, index) => ({
          value,
          id: index === 0 ? 'field-levels' : `field-levels-${value}`,
          checked: values.levels.includes(value),
        })),
        quarters: quarters.map((value) => ({ value, selected: value === values.startQuarter })),
        coaches: coaches.map((member) => ({
          id: member.id,
          name: member.name,
          role: member.role,
          selected: member.id === values.coachId,
        })),
      },
      errors.length ? 422 : 200,
    );
  }

  private async rolloutWithOrganization(id: string) {
    const rollout = await this.rollouts.get(id);
    const organization = await this.organizations.get(rollout.organizationId);
    return { rollout, organization };
  }

  /** The current calendar quarter where the organization is, and the ones after it. */
  private startQuarters(organization: Organization): string[] {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: organization.timeZone });
    const current: CalendarQuarter = {
      year: today.year,
      quarter: Math.ceil(today.month / 3) as CalendarQuarter['quarter'],
    };
    return Array.from({ length: START_QUARTERS }, (_, steps) =>
      formatQuarterLabel(nextQuarter(current, steps)),
    );
  }

  /** Coaches' names for the pilots (sponsors may not list members; they see the pilots without them). */
  private async coachNames(request: ConsoleRequest, pilots: PilotView[]): Promise<Map<string, string>> {
    if (request.actor?.role === 'sponsor' || !pilots.some((pilot) => pilot.coachId)) return new Map();
    const members = await this.members.list(ALL);
    return new Map(members.items.map((member) => [member.id, member.name]));
  }
}

const canWrite = (request: ConsoleRequest) =>
  request.actor?.role === 'owner' || request.actor?.role === 'coach';

const organizationFields = (body: Form) => ({
  name: text(body.name),
  sector: text(body.sector),
  headcount: integer(body.headcount),
  defaultLocale: text(body.defaultLocale),
  timeZone: text(body.timeZone),
});

const organizationValues = (body: Form): Record<string, string> => ({
  name: str(body.name),
  sector: str(body.sector),
  headcount: str(body.headcount),
  defaultLocale: str(body.defaultLocale),
  timeZone: str(body.timeZone),
});

const labelsOf = (request: ConsoleRequest, prefix: string, fields: string[]) => {
  const t = textsFor(languageOf(request));
  return Object.fromEntries(fields.map((field) => [field, t(`setup:${prefix}.${field}`)]));
};

const organizationLabels = (request: ConsoleRequest) =>
  labelsOf(request, 'organizationForm', ['name', 'sector', 'headcount', 'defaultLocale', 'timeZone']);

const rolloutLabels = (request: ConsoleRequest) =>
  labelsOf(request, 'rolloutForm', ['goal', 'targetHeadcount', 'plannedWaves']);

const pilotLabels = (request: ConsoleRequest) => {
  const labels = labelsOf(request, 'pilotForm', [
    'name',
    'waveNumber',
    'levels',
    'startQuarter',
    'quarterCount',
    'scope',
    'successCriteria',
    'decisionDate',
    'coachId',
  ]);
  return {
    ...labels,
    'charter.scope': labels.scope,
    'charter.successCriteria': labels.successCriteria,
    'charter.decisionDate': labels.decisionDate,
  };
};

type TaskState = 'done' | 'todo' | 'notStarted' | 'cannotStart';

/**
 * The steps from an empty rollout to a running first pilot; shown while no pilot has started. The first
 * pilot is the earliest wave's.
 */
function setUpTasks(rolloutId: string, pilots: (PilotView & { participants: number })[]) {
  const first = pilots[0];
  const task = (key: string, state: TaskState, href?: string) => ({ key, state, href });
  return [
    task('organization', 'done'),
    task('rollout', 'done'),
    task(
      'pilot',
      first ? 'done' : 'todo',
      first ? `/app/pilots/${first.id}` : `/app/rollouts/${rolloutId}/pilots/new`,
    ),
    first
      ? task('participants', first.participants > 0 ? 'done' : 'todo', `/app/pilots/${first.id}/participants`)
      : task('participants', 'cannotStart'),
    first
      ? task('cadence', 'notStarted', `/app/rollouts/${rolloutId}/cadence`)
      : task('cadence', 'cannotStart'),
    first ? task('start', 'notStarted', `/app/pilots/${first.id}/start`) : task('start', 'cannotStart'),
  ];
}
