import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth';

// Read once at start: both are small, and they change only with a deploy.
const STYLESHEET = readFileSync(join(__dirname, 'assets', 'console.css'), 'utf8');
/** htmx from the installed package, never a CDN. */
const HTMX = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8');

const A_DAY = 'public, max-age=86400';

@ApiExcludeController()
@Controller('app/assets')
export class AssetsController {
  @Public()
  @Get('console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', A_DAY)
  stylesheet() {
    return STYLESHEET;
  }

  @Public()
  @Get('htmx.min.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', A_DAY)
  htmx() {
    return HTMX;
  }
}
