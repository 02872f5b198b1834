import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { WEBHOOK_EVENTS } from '@luotsi/database';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  SECRET_OVERLAP_DEFAULT_HOURS,
  WebhookService,
  type WebhookEndpointView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { Id } from '../../common/params';
import { CreateWebhookEndpointDto, RotateWebhookSecretDto } from '../../webhooks/webhook.dto';
import { ConsolePages } from '../console-pages';
import { checkForm, fieldErrorsOf, list, str, text, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';

type Form = Record<string, unknown>;

/** A workspace has at most 20 endpoints (the domain's cap), so one page lists them all. */
const ALL = { limit: 200, offset: 0 };
const RECENT_DELIVERIES = { limit: 25, offset: 0 };

/**
 * Webhook endpoints: register one (the egress rules refuse private targets, and say why), see what it
 * was sent, rotate its secret (shown once), delete it. Owners only, as endpoints hold secrets.
 */
@ApiExcludeController()
@Roles('owner')
@Controller('app/webhooks')
export class WebhooksPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly webhooks: WebhookService,
  ) {}

  @Get()
  async index(@Req() request: ConsoleRequest, @Res() response: Response, @Query('deleted') deleted?: string) {
    const { items } = await this.webhooks.list(ALL);
    const t = textsFor(languageOf(request));
    this.pages.send(request, response, 'owner/webhooks', 'owner:webhooks.title', {
      endpoints: items,
      flash: deleted === '1' ? t('owner:webhooks.deleted') : undefined,
    });
  }

  @Get('new')
  newPage(@Req() request: ConsoleRequest, @Res() response: Response) {
    this.sendNew(request, response, { url: '', description: '', events: [] });
  }

  @Post('new')
  async create(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = {
      url: t('owner:webhooks.url'),
      events: t('owner:webhooks.events'),
      description: t('owner:webhooks.description'),
    };
    const values = {
      url: str(body.url).trim(),
      description: str(body.description),
      events: list(body.events),
    };
    const again = (errors: FieldError[], status: number) =>
      this.sendNew(request, response, values, errors, status);
    const form = await checkForm(
      CreateWebhookEndpointDto,
      { url: values.url, events: values.events, description: text(values.description) },
      language,
      labels,
    );
    if (!form.value) return again(form.errors, 422);
    if (!values.url)
      return again(
        [{ field: 'url', message: t('common:validation.isNotEmpty', { label: labels.url }) }],
        422,
      );
    try {
      const created = await this.webhooks.create(form.value);
      this.sendSecret(request, response, created, 'owner:secret.createdTitle', 201);
    } catch (error) {
      if (error instanceof InvalidInputError) return again(fieldErrorsOf(error, labels), 422);
      if (error instanceof ConflictError)
        return again([{ field: '', message: t('owner:webhooks.tooMany') }], 409);
      throw error;
    }
  }

  @Get(':id')
  async show(
    @Param('id', Id('webhook')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    this.sendShow(request, response, await this.endpoint(id), {
      overlapHours: String(SECRET_OVERLAP_DEFAULT_HOURS),
    });
  }

  @Post(':id/rotate')
  async rotate(
    @Param('id', Id('webhook')) id: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const language = languageOf(request);
    const t = textsFor(language);
    const endpoint = await this.endpoint(id);
    const raw = str(body.overlapHours).trim();
    const labels = { overlapHours: t('owner:webhook.overlapHours') };
    const form = await checkForm(
      RotateWebhookSecretDto,
      { overlapHours: /^\d+$/.test(raw) ? Number(raw) : raw === '' ? undefined : raw },
      language,
      labels,
    );
    if (!form.value)
      return this.sendShow(request, response, endpoint, { overlapHours: raw }, form.errors, 422);
    const rotated = await this.webhooks.rotateSecret(id, form.value.overlapHours);
    this.sendSecret(request, response, rotated, 'owner:secret.rotatedTitle', 200);
  }

  /** Check your answers: the endpoint and its delivery log go for good. */
  @Get(':id/delete')
  async deletePage(
    @Param('id', Id('webhook')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const endpoint = await this.endpoint(id);
    this.pages.send(request, response, 'owner/webhook-delete', 'owner:webhook.deleteTitle', { endpoint });
  }

  @Post(':id/delete')
  async remove(@Param('id', Id('webhook')) id: string, @Res() response: Response) {
    await this.webhooks.remove(id);
    this.pages.redirect(response, '/app/webhooks?deleted=1');
  }

  /** One endpoint of the workspace's (at most 20); another workspace's id is not found. */
  private async endpoint(id: string): Promise<WebhookEndpointView> {
    const found = (await this.webhooks.list(ALL)).items.find((endpoint) => endpoint.id === id);
    if (!found) throw new NotFoundError('webhook');
    return found;
  }

  private async sendShow(
    request: ConsoleRequest,
    response: Response,
    endpoint: WebhookEndpointView,
    values: { overlapHours: string },
    errors: FieldError[] = [],
    status = 200,
  ) {
    const { items } = await this.webhooks.deliveries(endpoint.id, RECENT_DELIVERIES);
    this.pages.send(
      request,
      response,
      'owner/webhook',
      'owner:webhook.title',
      {
        endpoint,
        deliveries: items.map((delivery) => ({
          ...delivery,
          tag: delivery.status === 'sent' ? 'ok' : delivery.status === 'failed' ? 'error' : 'warn',
        })),
        values,
        errors,
        url: endpoint.url,
      },
      status,
    );
  }

  private sendNew(
    request: ConsoleRequest,
    response: Response,
    values: { url: string; description: string; events: string[] },
    errors: FieldError[] = [],
    status = 200,
  ) {
    this.pages.send(
      request,
      response,
      'owner/webhook-new',
      'owner:webhooks.newTitle',
      {
        values,
        errors,
        events: WEBHOOK_EVENTS.map((event) => ({ value: event, checked: values.events.includes(event) })),
      },
      status,
    );
  }

  private sendSecret(
    request: ConsoleRequest,
    response: Response,
    endpoint: WebhookEndpointView & { secret: string },
    titleKey: string,
    status: number,
  ) {
    this.pages.send(
      request,
      response,
      'owner/webhook-secret',
      titleKey,
      { endpoint, secret: endpoint.secret, titleKey },
      status,
    );
  }
}
