import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, ILike } from 'typeorm';
import { Level, Locale, Organization, Participant, Pilot, PilotMembership } from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Reactions } from '../common/reactions';
import { Page, PageRequest } from '../common/page';
import { isTimeZone } from '../common/time-zone';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit/audit-log.service';
import { parseParticipantCsv, ParticipantRow } from './participant-csv';
import { isEmail } from './email';
import { OutboxService, PARTICIPANT_KEY } from '../delivery';
import { clearErasedMail, ErasedMailPass, ErasedMailStillRunningError } from './erased-mail';

export interface ParticipantInput {
  email: string;
  name: string;
  locale?: Locale;
  level: Level;
  timeZone?: string;
}

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  addedToPilot: number;
  alreadyInPilot: number;
}

const CHUNK = 2_000;
const ENDED = ['graduated', 'stopped'];

/** People in pilots: one row per person and workspace, joined to pilots by membership. */
@Injectable()
export class ParticipantService {
  private readonly logger = new Logger(ParticipantService.name);

  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly jobs: JobProducer,
    private readonly dataSource: DataSource,
    private readonly reactions: Reactions,
    private readonly outbox: OutboxService,
  ) {}

  private participants(manager?: EntityManager) {
    return this.tenancy.repo(Participant, 'participant', manager);
  }

  async listForPilot(pilotId: string, page: PageRequest): Promise<Page<Participant>> {
    const pilot = await this.tenancy.repo(Pilot, 'pilot').get(pilotId);
    const qb = this.participants()
      .query('p')
      .innerJoin(PilotMembership, 'm', 'm.participantId = p.id AND m.workspaceId = p.workspaceId')
      .andWhere('m.pilotId = :pilotId', { pilotId: pilot.id })
      .orderBy('p.email', 'ASC')
      .take(page.limit)
      .skip(page.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, ...page };
  }

  list(page: PageRequest, search?: string): Promise<Page<Participant>> {
    const where = search
      ? [{ email: ILike(`%${escapeLike(search)}%`) }, { name: ILike(`%${escapeLike(search)}%`) }]
      : {};
    return this.participants().page(page, where, { email: 'ASC' });
  }

  get(id: string): Promise<Participant> {
    return this.participants().get(id);
  }

  /** Adds one person to a pilot, creating them in the workspace if new. */
  async addToPilot(pilotId: string, input: ParticipantInput): Promise<Participant> {
    if (!isEmail(input.email.trim().toLowerCase())) {
      throw new InvalidInputError('Invalid email.', [{ field: 'email', reason: 'not an email address' }]);
    }
    const { pilot, organization } = await this.pilotForWrite(pilotId);
    if (!pilot.levels.includes(input.level)) {
      throw new InvalidInputError('Invalid level.', [
        {
          field: 'level',
          reason: `"${input.level}" is not a level of this pilot (${pilot.levels.join(', ')})`,
        },
      ]);
    }
    if (input.timeZone && !isTimeZone(input.timeZone)) {
      throw new InvalidInputError('Unknown time zone.', [
        { field: 'timeZone', reason: `not an IANA time zone: ${input.timeZone}` },
      ]);
    }
    const row: ParticipantRow = {
      line: 0,
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      locale: input.locale ?? organization.defaultLocale,
      level: input.level,
      timeZone: input.timeZone ?? organization.timeZone,
    };
    const summary = await this.tenancy.transaction((manager) =>
      this.upsertIntoPilot(pilot, [row], manager, 'participant.added'),
    );
    const participant = await this.participants().findOne({ email: row.email });
    if (!participant) throw new ConflictError('The participant could not be stored.');
    return Object.assign(participant, { importSummary: summary });
  }

  /** Imports a CSV atomically: the whole file or nothing, and the same file twice changes nothing. */
  async importCsv(pilotId: string, file: Buffer): Promise<ImportSummary> {
    const { pilot, organization } = await this.pilotForWrite(pilotId);
    const rows = parseParticipantCsv(file, {
      locale: organization.defaultLocale,
      timeZone: organization.timeZone,
      levels: pilot.levels,
    });
    return this.tenancy.transaction((manager) =>
      this.upsertIntoPilot(pilot, rows, manager, 'participants.imported'),
    );
  }

  async update(id: string, patch: Partial<Omit<ParticipantInput, 'email'>>): Promise<Participant> {
    if (patch.timeZone && !isTimeZone(patch.timeZone)) {
      throw new InvalidInputError('Unknown time zone.', [
        { field: 'timeZone', reason: `not an IANA time zone: ${patch.timeZone}` },
      ]);
    }
    return this.tenancy.transaction(async (manager) => {
      const participant = await this.participants(manager).get(id, { lock: true });
      Object.assign(participant, patch, patch.name ? { name: patch.name.trim() } : {});
      const saved = await this.participants(manager).save(participant);
      await this.audit.record(
        {
          action: 'participant.updated',
          entityType: 'participant',
          entityId: id,
          details: { fields: Object.keys(patch) },
        },
        manager,
      );
      return saved;
    });
  }

  async removeFromPilot(pilotId: string, participantId: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      await this.tenancy.repo(Pilot, 'pilot', manager).get(pilotId);
      const membership = await this.tenancy
        .repo(PilotMembership, 'participant', manager)
        .findOne({ pilotId, participantId });
      if (!membership)
        throw new InvalidInputError('Not in this pilot.', [
          { field: 'participantId', reason: 'not a member of this pilot' },
        ]);
      await this.tenancy.repo(PilotMembership, 'participant', manager).remove(membership);
      await this.audit.record(
        {
          action: 'participant.removed_from_pilot',
          entityType: 'participant',
          entityId: participantId,
          details: { pilotId },
        },
        manager,
      );
    });
  }

  /**
   * Erases the person: the row and every membership go; the audit log keeps only the id. What was
   * said about mail to them (a server's refusal quotes the address, often the name) goes too: from
   * the outbox, from webhook payloads, and from the send jobs Redis keeps.
   */
  /**
   * Erases a person: the participant row (memberships, tokens and the development inbox's copies go
   * with it), what the mail records and announcements said of them, their words in linked answers and
   * in stored reports, and, once committed, what Redis keeps of their mail (see `clearErasedMail`).
   * Anonymous answers are linked to no one and stay as they are.
   */
  async erase(id: string): Promise<void> {
    const workspaceId = this.tenancy.actor.workspaceId;
    const mail = await this.tenancy.transaction(async (manager) => {
      const participant = await this.participants(manager).get(id, { lock: true });
      // Mail not sent yet never will be; a refusal's text (it often quotes the address) goes.
      const mail = await this.outbox.forgetParticipant(workspaceId, id, ERASED, manager);
      // Announcements of their failed mail keep the outbox id and the category, not the person.
      await manager.query(
        `UPDATE webhook_delivery
         SET payload = payload || jsonb_build_object(
               'participantId', NULL,
               'key', regexp_replace(payload ->> 'key', '${PARTICIPANT_KEY}', '.erased.' || (payload ->> 'outboxId')),
               'reason', CASE WHEN payload ->> 'reason' ~ '^[a-z_]+$' THEN payload ->> 'reason' ELSE $3 END),
             updated_at = now()
         WHERE workspace_id = $1 AND event = 'delivery.failed' AND payload ->> 'participantId' = $2::text`,
        [workspaceId, id, ERASED],
      );
      // Their words and ids in stored reports (and in linked answers) go in this transaction.
      await this.reactions.emit('participant.erasing', manager, {
        workspaceId,
        id,
        email: participant.email,
        name: participant.name,
      });
      // What they wrote with their check-ins; the numbers stay with the key results.
      await manager.query(
        `UPDATE check_in SET note = '' WHERE workspace_id = $1 AND participant_id = $2 AND note <> ''`,
        [workspaceId, id],
      );
      await this.participants(manager).remove(participant);
      // Development capture keeps whole messages; they go with the person.
      await manager.query(`DELETE FROM captured_mail WHERE $1 = ANY(recipients)`, [participant.email]);
      await this.audit.record(
        { action: 'participant.erased', entityType: 'participant', entityId: id },
        manager,
      );
      return mail;
    });
    await this.forgetMail(mail);
  }

  /**
   * The `forget-erased-mail` job: clears what Redis holds of an erased person's mail, and throws while
   * one of its send jobs is still running (it cannot be removed then), so BullMQ tries again.
   */
  async clearErasedMail(outboxIds: string[]): Promise<ErasedMailPass> {
    const pass = await clearErasedMail(this.dataSource, this.outbox, this.jobs, outboxIds);
    if (pass.running)
      throw new ErasedMailStillRunningError(
        `${pass.running} send job(s) of an erased recipient still running; trying again`,
      );
    return pass;
  }

  /** The scheduler's sweep: any erased person's mail whose jobs Redis may still hold. */
  sweepErasedMail(): Promise<ErasedMailPass> {
    return clearErasedMail(this.dataSource, this.outbox, this.jobs);
  }

  /**
   * Right after the erasure: clears Redis at once where it can; what is left (a send running right
   * now, Redis unreachable) goes to the retried job, and failing that to the scheduler's sweep.
   */
  private async forgetMail(outboxIds: string[]): Promise<void> {
    if (!outboxIds.length) return;
    try {
      const pass = await clearErasedMail(this.dataSource, this.outbox, this.jobs, outboxIds);
      if (!pass.running) return;
    } catch (error) {
      this.logger.warn(`clearing an erased recipient's mail from Redis deferred: ${String(error)}`);
    }
    await this.jobs
      .enqueue(JobName.ForgetErasedMail, { outboxIds })
      .catch((error) => this.logger.warn(`clearing deferred to the scheduler's sweep: ${String(error)}`));
  }

  private async pilotForWrite(pilotId: string): Promise<{ pilot: Pilot; organization: Organization }> {
    const pilot = await this.tenancy.repo(Pilot, 'pilot').get(pilotId);
    if (ENDED.includes(pilot.state))
      throw new ConflictError(`The pilot is ${pilot.state}; it takes no new participants.`);
    const organization = await this.tenancy.repo(Organization, 'organization').get(pilot.organizationId);
    return { pilot, organization };
  }

  /**
   * Set-based upsert: one statement per chunk for people, one for memberships. A person already in the
   * workspace is updated only if a value differs, so re-importing a file is a no-op. Raw SQL here is
   * scoped by the actor's workspace explicitly, as the scoped repository would.
   */
  private async upsertIntoPilot(
    pilot: Pilot,
    rows: ParticipantRow[],
    manager: EntityManager,
    action: string,
  ): Promise<ImportSummary> {
    const workspaceId = this.tenancy.actor.workspaceId;
    const summary: ImportSummary = {
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      addedToPilot: 0,
      alreadyInPilot: 0,
    };
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const column = <K extends keyof ParticipantRow>(key: K) => chunk.map((r) => r[key]);
      const changed: { inserted: boolean }[] = await manager.query(
        `INSERT INTO participant (workspace_id, email, name, locale, level, time_zone)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (workspace_id, email) DO UPDATE
           SET name = excluded.name, locale = excluded.locale, level = excluded.level,
               time_zone = excluded.time_zone, updated_at = now()
           WHERE (participant.name, participant.locale, participant.level, participant.time_zone)
             IS DISTINCT FROM (excluded.name, excluded.locale, excluded.level, excluded.time_zone)
         RETURNING (xmax = 0) AS inserted`,
        [workspaceId, column('email'), column('name'), column('locale'), column('level'), column('timeZone')],
      );
      const created = changed.filter((r) => r.inserted).length;
      summary.created += created;
      summary.updated += changed.length - created;
      const added: unknown[] = await manager.query(
        `INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
         SELECT $1, $2, p.id, $3 FROM participant p WHERE p.workspace_id = $1 AND p.email = ANY($4::text[])
         ON CONFLICT (pilot_id, participant_id) DO NOTHING
         RETURNING id`,
        [workspaceId, pilot.id, pilot.organizationId, column('email')],
      );
      summary.addedToPilot += added.length;
    }
    summary.unchanged = summary.rows - summary.created - summary.updated;
    summary.alreadyInPilot = summary.rows - summary.addedToPilot;
    await this.audit.record(
      { action, entityType: 'pilot', entityId: pilot.id, details: { ...summary } },
      manager,
    );
    return summary;
  }
}

/** What replaces a failure's text once its recipient was erased. */
const ERASED = 'details removed: the recipient was erased';

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
