import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService, OrganizationService, PortfolioService } from '@luotsi/domain';
import { ConsolePages } from './console-pages';
import type { ConsoleRequest } from './page-context';

/**
 * The start page: for a coach or owner, every pilot across the client organizations with what needs
 * them first (the portfolio's order); for a sponsor, the organizations granted to them.
 */
@ApiExcludeController()
@Controller('app')
export class HomeController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly portfolio: PortfolioService,
    private readonly organizations: OrganizationService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  async home(@Req() request: ConsoleRequest, @Res() response: Response) {
    if (request.actor?.role === 'sponsor') {
      const organizations = await this.organizations.list({ limit: 100, offset: 0 });
      return this.pages.send(request, response, 'home', 'console:home.title', {
        sponsor: true,
        organizations: organizations.items,
      });
    }
    const { items } = await this.portfolio.portfolio();
    // Until the sign-up address is confirmed the workspace's mail waits: the coach sees it first thing.
    const { mailHeld } = await this.auth.me(request.actor!);
    this.pages.send(request, response, 'home', 'console:home.title', { items, mailHeld });
  }
}
