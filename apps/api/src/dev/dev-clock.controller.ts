import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DateTime, Duration } from 'luxon';
import { Clock, ConflictError, InvalidInputError, ManualClock, SharedClock } from '@luotsi/domain';
import { Public } from '../common/auth';

export class MoveClockDto {
  /** An instant with its offset, e.g. `2027-01-04T09:00:00+02:00`. */
  @IsOptional() @IsString() @MaxLength(64) to?: string;
  /** An ISO 8601 duration, e.g. `P1D`, `P1W`, `PT6H`. */
  @IsOptional() @IsString() @MaxLength(64) advance?: string;
}

/**
 * Development and test only (never in production): the clock of the running API and worker, moved
 * forward so a person trying Luotsi can watch a quarter happen. The worker sees a move within a second
 * (see SharedClock) and its next beat dispatches what is due on the new day.
 */
@ApiExcludeController()
@Public()
@Controller('dev/clock')
export class DevClockController {
  constructor(private readonly clock: Clock) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  show() {
    return this.state();
  }

  /** `{ "to": instant }` or `{ "advance": duration }`, exactly one; the clock never moves back. */
  @Post()
  @HttpCode(200)
  async move(@Body() body: MoveClockDto) {
    if ((body.to === undefined) === (body.advance === undefined)) {
      throw new InvalidInputError('Say where the clock goes.', [
        { field: 'to', reason: 'give exactly one of "to" (an instant) and "advance" (an ISO 8601 duration)' },
      ]);
    }
    const now = this.clock.now();
    let target: Date;
    if (body.to !== undefined) {
      const parsed = DateTime.fromISO(body.to, { setZone: true });
      if (!parsed.isValid || !/([zZ]|[+-]\d{2}:?\d{2})$/.test(body.to))
        throw new InvalidInputError('Invalid instant.', [
          {
            field: 'to',
            reason: `expected an ISO 8601 instant with its offset, e.g. 2027-01-04T09:00:00+02:00`,
          },
        ]);
      target = parsed.toJSDate();
    } else {
      const duration = Duration.fromISO(body.advance!);
      if (!duration.isValid || duration.toMillis() <= 0)
        throw new InvalidInputError('Invalid duration.', [
          { field: 'advance', reason: 'expected a positive ISO 8601 duration, e.g. P1D, P1W or PT6H' },
        ]);
      target = DateTime.fromJSDate(now).plus(duration).toJSDate();
    }
    if (target.getTime() < now.getTime())
      throw new InvalidInputError('The clock only moves forward.', [
        { field: 'to', reason: `${target.toISOString()} is before the clock's now, ${now.toISOString()}` },
      ]);
    if (this.clock instanceof SharedClock) await this.clock.moveTo(target);
    else if (this.clock instanceof ManualClock) this.clock.set(target);
    else throw new ConflictError('This clock cannot be moved.');
    return this.state();
  }

  private state() {
    const now = this.clock.now();
    return {
      now: now.toISOString(),
      offsetMs: this.clock instanceof SharedClock ? this.clock.offsetMs : now.getTime() - Date.now(),
    };
  }
}
