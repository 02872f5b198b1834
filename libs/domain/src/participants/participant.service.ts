import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Level, Locale, Organization, Participant, Pilot } from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { AppConfig } from '@luotsi/config';
import { ConflictError, InvalidInputError, UnconfirmedImportLimitError } from '../common/errors';
import { OnBeat, Reactions } from '../common/reactions';
import { Page, PageRequest } from '../common/page';
import { isTimeZone } from '../common/time-zone';
import { DeclaredFile, FileReading, ReadAs, readAsOf, readSpreadsheetFile } from '../common/spreadsheet-file';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { BounceRecipients, OutboxService, UnsubscribeRecipients, UnsubscribeTarget } from '../delivery';
import { DevInboxService } from '../dev-inbox';
import { OrganizationService } from '../organizations';
import { PilotService } from '../pilots';
import { WebhookService } from '../webhooks';
import { parseParticipantCsv, ParticipantRow } from './participant-csv';
import { isEmail } from './email';
import { clearErasedMail, ErasedMailPass, ErasedMailStillRunningError } from './erased-mail';
import { ParticipantsStore } from './participants.store';

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
  /** How the file was read, when not as plain UTF-8 text (Windows-1252, UTF-16, a workbook's first sheet). */
  readAs?: ReadAs;
}

/** A checked file not imported yet: its rows, and how many of them the workspace and the pilot already have. */
export interface ImportPreview {
  rows: ParticipantRow[];
  /** People already in the workspace (their details may be updated). */
  known: number;
  alreadyInPilot: number;
  /** How the file was read: its encoding, or the workbook's sheet. */
  reading: FileReading;
}

const CHUNK = 2_000;
const ENDED = ['graduated', 'stopped'];

/**
 * People in pilots: one row per person and workspace, joined to pilots by membership. It is also what
 * unsubscribing and bounces ask of them (`UnsubscribeRecipients`, `BounceRecipients`).
 */
@Injectable()
export class ParticipantService implements UnsubscribeRecipients, BounceRecipients {
  private readonly logger = new Logger(ParticipantService.name);

  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: ParticipantsStore,
    private readonly audit: AuditLog,
    private readonly jobs: JobProducer,
    private readonly dataSource: DataSource,
    private readonly reactions: Reactions,
    private readonly outbox: OutboxService,
    private readonly pilots: PilotService,
    private readonly organizations: OrganizationService,
    private readonly webhooks: WebhookService,
    private readonly inbox: DevInboxService,
    private readonly config: AppConfig,
  ) {}

  async listForPilot(pilotId: string, page: PageRequest): Promise<Page<Participant>> {
    const pilot = await this.pilots.pilot(pilotId);
    return this.store.pageOfPilot(pilot.id, page);
  }

  /** How many people a pilot has; of a pilot the caller has already read through the tenant scope. */
  countInPilot(pilotId: string): Promise<number> {
    return this.store.countOfPilot(pilotId);
  }

  /**
   * The names of those of `ids` who are in the pilot (say, the owners of its key results), by id; of a
   * pilot the caller has already read through the tenant scope. Others are left out.
   */
  async namesInPilot(pilotId: string, ids: string[]): Promise<Map<string, string>> {
    const named = await this.store.namesInPilot(pilotId, [...new Set(ids)]);
    return new Map(named.map((p) => [p.id, p.name]));
  }

  list(page: PageRequest, search?: string): Promise<Page<Participant>> {
    return this.store.page(page, search);
  }

  get(id: string): Promise<Participant> {
    return this.store.get(id);
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
    const summary = await this.tenancy.transaction(async (manager) => {
      await this.checkImportRoom([row], 'email', manager);
      return this.upsertIntoPilot(pilot, [row], manager, 'participant.added');
    });
    const participant = await this.store.findByEmail(row.email);
    if (!participant) throw new ConflictError('The participant could not be stored.');
    return Object.assign(participant, { importSummary: summary });
  }

  /**
   * Imports a file (CSV in any of the encodings spreadsheets save, or an XLSX workbook; see
   * `readSpreadsheetFile`) atomically: the whole file or nothing, and the same file twice changes nothing.
   */
  async importCsv(pilotId: string, file: Buffer, declared?: DeclaredFile): Promise<ImportSummary> {
    const { pilot, organization } = await this.pilotForWrite(pilotId);
    const { records, reading } = await readSpreadsheetFile(file, declared);
    const rows = parseParticipantCsv(records, {
      locale: organization.defaultLocale,
      timeZone: organization.timeZone,
      levels: pilot.levels,
    });
    const summary = await this.tenancy.transaction(async (manager) => {
      await this.checkImportRoom(rows, 'file', manager);
      return this.upsertIntoPilot(pilot, rows, manager, 'participants.imported');
    });
    const readAs = readAsOf(reading);
    return readAs ? { ...summary, readAs } : summary;
  }

  /**
   * What importing the file would do, without writing anything: the rows as they would be stored, and
   * how many of them are new to the workspace or already in the pilot. Refuses a bad file exactly as
   * the import does (every bad line, with its number).
   */
  async previewCsv(pilotId: string, file: Buffer, declared?: DeclaredFile): Promise<ImportPreview> {
    const { pilot, organization } = await this.pilotForWrite(pilotId);
    const { records, reading } = await readSpreadsheetFile(file, declared);
    const rows = parseParticipantCsv(records, {
      locale: organization.defaultLocale,
      timeZone: organization.timeZone,
      levels: pilot.levels,
    });
    await this.checkImportRoom(rows, 'file');
    const known = await this.store.known(
      pilot.id,
      rows.map((r) => r.email),
    );
    return {
      rows,
      known: known.length,
      alreadyInPilot: known.filter((k) => k.inPilot).length,
      reading,
    };
  }

  async update(id: string, patch: Partial<Omit<ParticipantInput, 'email'>>): Promise<Participant> {
    if (patch.timeZone && !isTimeZone(patch.timeZone)) {
      throw new InvalidInputError('Unknown time zone.', [
        { field: 'timeZone', reason: `not an IANA time zone: ${patch.timeZone}` },
      ]);
    }
    return this.tenancy.transaction(async (manager) => {
      const participant = await this.store.get(id, { lock: true }, manager);
      Object.assign(participant, patch, patch.name ? { name: patch.name.trim() } : {});
      const saved = await this.store.save(participant, manager);
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

  /**
   * The coach's word that the person's address works again (fixed at their end, or the bounce was a
   * mistake): the mark goes, and the next steps reach them. Mail suppressed meanwhile stays unsent.
   * Clearing someone not marked changes nothing.
   */
  async clearBounce(id: string): Promise<Participant> {
    return this.tenancy.transaction(async (manager) => {
      const participant = await this.store.get(id, { lock: true }, manager);
      if (!participant.bouncedAt) return participant;
      const { bounceReason, bouncedMail } = participant;
      Object.assign(participant, { bouncedAt: null, bounceReason: null, bouncedMail: null });
      const saved = await this.store.save(participant, manager);
      await this.audit.record(
        {
          action: 'participant.bounce_cleared',
          entityType: 'participant',
          entityId: id,
          details: { reason: bounceReason, outboxId: bouncedMail },
        },
        manager,
      );
      return saved;
    });
  }

  async removeFromPilot(pilotId: string, participantId: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      await this.pilots.pilot(pilotId, manager);
      const membership = await this.store.findMembership(pilotId, participantId, manager);
      if (!membership)
        throw new InvalidInputError('Not in this pilot.', [
          { field: 'participantId', reason: 'not a member of this pilot' },
        ]);
      await this.store.removeMembership(membership, manager);
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
   * Erases a person: the participant row (memberships, tokens and the development inbox's copies go
   * with it), what the mail records and announcements said of them, their words in linked answers and
   * in stored reports, and, once committed, what Redis keeps of their mail (see `clearErasedMail`).
   * Anonymous answers are linked to no one and stay as they are.
   */
  async erase(id: string): Promise<void> {
    const workspaceId = this.tenancy.actor.workspaceId;
    const mail = await this.tenancy.transaction(async (manager) => {
      const participant = await this.store.get(id, { lock: true }, manager);
      // Mail not sent yet never will be; a refusal's text (it often quotes the address) goes.
      const mail = await this.outbox.forgetParticipant(workspaceId, id, ERASED, manager);
      // Announcements of their failed mail keep the outbox id and the category, not the person.
      await this.webhooks.forgetErasedParticipant(workspaceId, id, ERASED, manager);
      // Their words and ids in stored reports (and in linked answers) go in this transaction, and what
      // they wrote with their check-ins (the numbers stay with the key results).
      await this.reactions.emit('participant.erasing', manager, {
        workspaceId,
        id,
        email: participant.email,
        name: participant.name,
      });
      await this.store.remove(participant, manager);
      // Development capture keeps whole messages; they go with the person.
      await this.inbox.forgetRecipient(participant.email, manager);
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
    const pass = await clearErasedMail(this.erasedMail(), outboxIds);
    if (pass.running)
      throw new ErasedMailStillRunningError(
        `${pass.running} send job(s) of an erased recipient still running; trying again`,
      );
    return pass;
  }

  /** The beat's sweep: any erased person's mail whose jobs Redis may still hold; returns how many were cleared. */
  @OnBeat('erasedMailCleared')
  async sweepErasedMail(): Promise<number> {
    return (await clearErasedMail(this.erasedMail())).cleared;
  }

  /**
   * Right after the erasure: clears Redis at once where it can; what is left (a send running right
   * now, Redis unreachable) goes to the retried job, and failing that to the scheduler's sweep.
   */
  private async forgetMail(outboxIds: string[]): Promise<void> {
    if (!outboxIds.length) return;
    try {
      const pass = await clearErasedMail(this.erasedMail(), outboxIds);
      if (!pass.running) return;
    } catch (error) {
      this.logger.warn(`clearing an erased recipient's mail from Redis deferred: ${String(error)}`);
    }
    await this.jobs
      .enqueue(JobName.ForgetErasedMail, { outboxIds })
      .catch((error) => this.logger.warn(`clearing deferred to the scheduler's sweep: ${String(error)}`));
  }

  /**
   * Until its sign-up address is confirmed, a workspace may import at most `UNCONFIRMED_IMPORT_LIMIT`
   * participants, per import and in total: past it the import is refused whole, naming `field`. Within
   * a transaction the check holds a lock per workspace until it ends, so imports at once add up.
   */
  private async checkImportRoom(
    rows: ParticipantRow[],
    field: string,
    manager?: EntityManager,
  ): Promise<void> {
    const limit = this.config.sendQuota.unconfirmedImportLimit;
    const room = await this.store.importRoom(
      this.tenancy.actor.workspaceId,
      rows.map((r) => r.email),
      manager,
    );
    if (room.confirmed) return;
    if (rows.length > limit)
      throw new UnconfirmedImportLimitError(
        limit,
        field,
        `has ${rows.length} participants; at most ${limit} until the workspace's sign-up address is confirmed`,
      );
    const total = room.participants + rows.length - room.known;
    if (total > limit)
      throw new UnconfirmedImportLimitError(
        limit,
        field,
        `would bring the workspace to ${total} participants (it has ${room.participants}); at most ${limit} until its sign-up address is confirmed`,
      );
  }

  private erasedMail() {
    return { db: this.dataSource, outbox: this.outbox, webhooks: this.webhooks, jobs: this.jobs };
  }

  private async pilotForWrite(pilotId: string): Promise<{ pilot: Pilot; organization: Organization }> {
    const pilot = await this.pilots.pilot(pilotId);
    if (ENDED.includes(pilot.state))
      throw new ConflictError(`The pilot is ${pilot.state}; it takes no new participants.`);
    const organization = await this.organizations.get(pilot.organizationId);
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
      const changed = await this.store.upsertParticipants(workspaceId, chunk, manager);
      const created = changed.filter((r) => r.inserted).length;
      summary.created += created;
      summary.updated += changed.length - created;
      const added = await this.store.addMemberships(
        workspaceId,
        pilot,
        chunk.map((r) => r.email),
        manager,
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

  /** What an unsubscribe link's page says of its participant (`UnsubscribeRecipients`). */
  unsubscribeTarget(participantId: string): Promise<UnsubscribeTarget | undefined> {
    return this.store.unsubscribeTarget(participantId);
  }

  /** A permanent bounce for their mail arrived: they get no more mail until cleared (`BounceRecipients`). */
  markBounced(
    participantId: string,
    bounce: { at: Date; reason: string; outboxId: string },
    manager: EntityManager,
  ): Promise<boolean> {
    return this.store.markBounced(participantId, bounce, manager);
  }

  /** An unsubscribe link was followed: the participant gets no more mail (`UnsubscribeRecipients`). */
  markUnsubscribed(
    participantId: string,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; workspace_id: string } | undefined> {
    return this.store.markUnsubscribed(participantId, at, manager);
  }
}

/** What replaces a failure's text once its recipient was erased. */
const ERASED = 'details removed: the recipient was erased';
