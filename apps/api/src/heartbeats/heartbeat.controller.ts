import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Actor, HeartbeatService } from '@luotsi/domain';
import { JobName, JobProducer } from '@luotsi/queue';
import { Authenticated, CurrentActor, Roles } from '../common/auth';
import { Id } from '../common/params';

/** Lets an owner check the whole queue path: API → Redis → worker → Postgres. */
@ApiTags('operations')
@Authenticated()
@Roles('owner')
@Controller('heartbeats')
export class HeartbeatController {
  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly producer: JobProducer,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The beat is recorded and queued; poll it by key' })
  async beat(@CurrentActor() actor: Actor) {
    const row = await this.heartbeats.register(randomUUID(), actor.workspaceId);
    await this.producer.enqueue(JobName.Heartbeat, { key: row.key });
    return row;
  }

  @Get(':key')
  @ApiOkResponse({ description: 'The beat, with processedAt once a worker consumed it' })
  get(@CurrentActor() actor: Actor, @Param('key', Id('heartbeat')) key: string) {
    return this.heartbeats.get(key, actor.workspaceId);
  }
}
