import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SECRET_OVERLAP_DEFAULT_HOURS, SECRET_OVERLAP_MAX_HOURS } from '@luotsi/domain';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENTS,
  type WebhookDeliveryStatus,
  type WebhookEvent,
} from '@luotsi/database';

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.fi/luotsi' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: WebhookEvent[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({
    nullable: true,
    type: Date,
    description: 'Until when the secret before the last rotation still signs deliveries (a second v1)',
  })
  previousSecretExpiresAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({
    description: 'Signs every delivery (HMAC-SHA256); shown in this answer only, so store it now',
    example: 'whsec_…',
  })
  secret: string;
}

export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://hooks.example.fi/luotsi',
    description:
      'https:// only, to a host that resolves to public addresses only (loopback, private, link-local and metadata addresses are refused)',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['report.ready', 'delivery.failed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: WebhookEvent[];

  @ApiPropertyOptional({ example: 'Our CRM' }) @IsOptional() @IsString() @MaxLength(200) description?: string;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: SECRET_OVERLAP_MAX_HOURS,
    default: SECRET_OVERLAP_DEFAULT_HOURS,
    description: 'Hours the current secret keeps signing alongside the new one; 0 ends it at once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SECRET_OVERLAP_MAX_HOURS)
  overlapHours?: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also sent as the Luotsi-Delivery header' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event: WebhookEvent;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status: WebhookDeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "The receiver's HTTP status on the last attempt",
  })
  responseStatus: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Milliseconds until the receiver answered, on the last attempt',
  })
  responseMs: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The last attempt's outcome: a status, a timing or a refusal; never the receiver's body",
  })
  lastError: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The `data` of the delivered body',
  })
  payload: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) sentAt: Date | null;
}
