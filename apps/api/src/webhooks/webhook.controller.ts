import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { WebhookService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ApiPage } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  RotateWebhookSecretDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
} from './webhook.dto';

/** The workspace's webhook endpoints and their delivery logs; owners only, as endpoints hold secrets. */
@ApiTags('webhooks')
@Authenticated()
@Roles('owner')
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @ApiPage(WebhookEndpointDto)
  list(@Query() page: PageQuery) {
    return this.webhooks.list(page);
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  create(@Body() body: CreateWebhookEndpointDto) {
    return this.webhooks.create(body);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({
    type: CreatedWebhookEndpointDto,
    description: 'The new secret, shown in this answer only',
  })
  rotateSecret(@Param('id', Id('webhook')) id: string, @Body() body: RotateWebhookSecretDto) {
    return this.webhooks.rotateSecret(id, body.overlapHours);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The endpoint and its delivery log are gone' })
  remove(@Param('id', Id('webhook')) id: string) {
    return this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiPage(WebhookDeliveryDto)
  deliveries(@Param('id', Id('webhook')) id: string, @Query() page: PageQuery) {
    return this.webhooks.deliveries(id, page);
  }
}
