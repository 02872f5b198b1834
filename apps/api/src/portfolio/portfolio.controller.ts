import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PortfolioService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { PortfolioDto } from './portfolio.dto';
import { renderPortfolioPage } from './portfolio.page';

/** The coach's portfolio: every pilot of the organizations they coach in, what needs them first. */
@ApiTags('portfolio')
@Authenticated()
@Roles('owner', 'coach')
@Controller()
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService) {}

  @Get('portfolio')
  @ApiOkResponse({ type: PortfolioDto })
  get() {
    return this.portfolio.portfolio();
  }

  @Get('portfolio.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The same, as a page' })
  async page() {
    return renderPortfolioPage(await this.portfolio.portfolio());
  }
}
