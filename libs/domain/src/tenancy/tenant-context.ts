import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { Actor } from './actor';
import { UnauthenticatedError } from '../common/errors';

/** Carries the actor through one request or one job, so no service takes a workspace id by hand. */
@Injectable()
export class TenantContext {
  private readonly storage = new AsyncLocalStorage<Actor>();

  run<T>(actor: Actor, fn: () => T): T {
    return this.storage.run(actor, fn);
  }

  get actor(): Actor {
    const actor = this.storage.getStore();
    if (!actor) throw new UnauthenticatedError();
    return actor;
  }

  get current(): Actor | undefined {
    return this.storage.getStore();
  }
}
