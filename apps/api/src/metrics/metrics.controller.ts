import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { ForbiddenError, UnauthenticatedError } from '@luotsi/domain';
import { bearerToken, Public } from '../common/auth';
import { Metrics } from './metrics';

/**
 * Prometheus' scrape target. With METRICS_TOKEN set it wants that bearer token; without one it is open
 * in development and test, and closed in production (queue depths and volumes are not for everyone).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    const expected = this.config.metrics.token;
    if (expected) {
      const given = Buffer.from(bearerToken(request) ?? '');
      const wanted = Buffer.from(expected);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
        throw new UnauthenticatedError('/metrics needs the METRICS_TOKEN bearer token.');
    } else if (this.config.isProduction) {
      throw new ForbiddenError('/metrics is off in production until METRICS_TOKEN is set.');
    }
    response
      .status(200)
      .type(this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
