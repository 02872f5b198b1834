import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, ILike, In } from 'typeorm';
import { Participant, PilotMembership } from '@luotsi/database';
import type { UnsubscribeTarget } from '../delivery';
import { ORGANIZATION_ROWS } from '../organizations/relations';
import { WORKSPACE_ROWS } from '../workspaces/relations';
import { Page, PageRequest } from '../common/page';
import { returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';
import type { ParticipantRow } from './participant-csv';

/**
 * The people in pilots (`participant`, `pilot_membership`): the only code that reads or writes them. A
 * member's reads and writes go through the actor's scope (`Tenancy.repo`); the set-based import takes
 * the workspace as its first argument; an unsubscribe link reaches its participant by id.
 */
@Injectable()
export class ParticipantsStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private participants(manager?: EntityManager) {
    return this.tenancy.repo(Participant, 'participant', manager);
  }

  private memberships(manager?: EntityManager) {
    return this.tenancy.repo(PilotMembership, 'participant', manager);
  }

  /** A pilot's participants, by email. */
  async pageOfPilot(pilotId: string, page: PageRequest): Promise<Page<Participant>> {
    const qb = this.participants()
      .query('p')
      .innerJoin(PilotMembership, 'm', 'm.participantId = p.id AND m.workspaceId = p.workspaceId')
      .andWhere('m.pilotId = :pilotId', { pilotId })
      .orderBy('p.email', 'ASC')
      .take(page.limit)
      .skip(page.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, ...page };
  }

  /** How many participants a pilot has. */
  countOfPilot(pilotId: string): Promise<number> {
    return this.memberships().count({ pilotId });
  }

  /** Those of `ids` who are in the pilot: id and name only. */
  namesInPilot(pilotId: string, ids: string[]): Promise<Pick<Participant, 'id' | 'name'>[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.participants()
      .query('p')
      .select(['p.id', 'p.name'])
      .innerJoin(PilotMembership, 'm', 'm.participantId = p.id AND m.workspaceId = p.workspaceId')
      .andWhere('m.pilotId = :pilotId', { pilotId })
      .andWhere('p.id IN (:...ids)', { ids })
      .getMany();
  }

  /** The workspace's participants by email; with `search`, those whose email or name contains it. */
  page(page: PageRequest, search?: string): Promise<Page<Participant>> {
    const where: FindOptionsWhere<Participant> | FindOptionsWhere<Participant>[] = search
      ? [{ email: ILike(`%${escapeLike(search)}%`) }, { name: ILike(`%${escapeLike(search)}%`) }]
      : {};
    return this.participants().page(page, where, { email: 'ASC' });
  }

  get(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Participant> {
    return this.participants(manager).get(id, options);
  }

  findByEmail(email: string, manager?: EntityManager): Promise<Participant | null> {
    return this.participants(manager).findOne({ email });
  }

  /** Of these emails, the people already in the workspace, and whether each is in the pilot already. */
  async known(pilotId: string, emails: string[]): Promise<{ email: string; inPilot: boolean }[]> {
    const found: { email: string; inPilot: boolean }[] = [];
    // In chunks: a query takes at most 65 535 parameters, a file up to 50 000 rows.
    for (let i = 0; i < emails.length; i += 2_000) {
      const people = await this.participants().find({ where: { email: In(emails.slice(i, i + 2_000)) } });
      if (!people.length) continue;
      const members = await this.memberships().find({
        where: { pilotId, participantId: In(people.map((p) => p.id)) },
      });
      const inPilot = new Set(members.map((m) => m.participantId));
      found.push(...people.map((p) => ({ email: p.email, inPilot: inPilot.has(p.id) })));
    }
    return found;
  }

  /**
   * Whether the workspace's sign-up address is confirmed, and if not, how many participants it has and
   * how many of `emails` it has already. Unconfirmed, it takes a lock per workspace for the rest of the
   * transaction, so two imports at once cannot both pass the limit.
   */
  async importRoom(
    workspaceId: string,
    emails: string[],
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<{ confirmed: true } | { confirmed: false; participants: number; known: number }> {
    const [workspace] = returned<{ confirmed: boolean }>(
      await manager.query(
        `SELECT w.email_confirmed_at IS NOT NULL AS confirmed FROM ${WORKSPACE_ROWS} w WHERE w.id = $1`,
        [workspaceId],
      ),
    );
    if (!workspace || workspace.confirmed) return { confirmed: true };
    if (manager instanceof EntityManager)
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('participant-import:' || $1, 0))`, [
        workspaceId,
      ]);
    const [counts] = returned<{ participants: number; known: number }>(
      await manager.query(
        `SELECT count(*)::int AS participants, count(*) FILTER (WHERE email = ANY($2::text[]))::int AS known
           FROM participant WHERE workspace_id = $1`,
        [workspaceId, emails],
      ),
    );
    return { confirmed: false, participants: counts.participants, known: counts.known };
  }

  save(participant: Participant, manager?: EntityManager): Promise<Participant> {
    return this.participants(manager).save(participant);
  }

  /** Removes the person; their memberships and tokens go with the row (foreign keys cascade). */
  remove(participant: Participant, manager?: EntityManager): Promise<void> {
    return this.participants(manager).remove(participant);
  }

  findMembership(
    pilotId: string,
    participantId: string,
    manager?: EntityManager,
  ): Promise<PilotMembership | null> {
    return this.memberships(manager).findOne({ pilotId, participantId });
  }

  removeMembership(membership: PilotMembership, manager?: EntityManager): Promise<void> {
    return this.memberships(manager).remove(membership);
  }

  /**
   * Inserts the people of the workspace not there yet and updates those whose values differ, in one
   * statement; returns one row for each inserted or updated person.
   */
  async upsertParticipants(
    workspaceId: string,
    chunk: ParticipantRow[],
    manager: EntityManager,
  ): Promise<{ inserted: boolean }[]> {
    const column = <K extends keyof ParticipantRow>(key: K) => chunk.map((r) => r[key]);
    return manager.query(
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
  }

  /** Adds the workspace's people with these emails to the pilot, in one statement; returns those added. */
  async addMemberships(
    workspaceId: string,
    pilot: { id: string; organizationId: string },
    emails: string[],
    manager: EntityManager,
  ): Promise<unknown[]> {
    return manager.query(
      `INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
         SELECT $1, $2, p.id, $3 FROM participant p WHERE p.workspace_id = $1 AND p.email = ANY($4::text[])
         ON CONFLICT (pilot_id, participant_id) DO NOTHING
         RETURNING id`,
      [workspaceId, pilot.id, pilot.organizationId, emails],
    );
  }

  /** What an unsubscribe link's page says of its participant: language, state, latest organization. */
  async unsubscribeTarget(participantId: string): Promise<UnsubscribeTarget | undefined> {
    const [row] = returned<UnsubscribeTarget>(
      await this.dataSource.query(
        `SELECT p.locale, p.unsubscribed_at IS NOT NULL AS "alreadyUnsubscribed",
              (SELECT o.name FROM pilot_membership m JOIN ${ORGANIZATION_ROWS} o ON o.id = m.organization_id
               WHERE m.participant_id = p.id ORDER BY m.created_at DESC LIMIT 1) AS "organizationName"
       FROM participant p
       WHERE p.id = $1`,
        [participantId],
      ),
    );
    return row;
  }

  /** Marks the participant unsubscribed (the first time counts); returns whose it is. */
  async markUnsubscribed(
    participantId: string,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; workspace_id: string } | undefined> {
    const [row] = returned<{ id: string; workspace_id: string }>(
      await manager.query(
        `UPDATE participant p SET unsubscribed_at = coalesce(p.unsubscribed_at, $2), updated_at = now()
         WHERE p.id = $1
         RETURNING p.id, p.workspace_id`,
        [participantId, at],
      ),
    );
    return row;
  }

  /** Marks the participant bounced unless they are already (the first bounce counts); says whether it did. */
  async markBounced(
    participantId: string,
    bounce: { at: Date; reason: string; outboxId: string },
    manager: EntityManager,
  ): Promise<boolean> {
    const rows = returned(
      await manager.query(
        `UPDATE participant SET bounced_at = $2, bounce_reason = $3, bounced_mail = $4, updated_at = now()
         WHERE id = $1 AND bounced_at IS NULL
         RETURNING id`,
        [participantId, bounce.at, bounce.reason, bounce.outboxId],
      ),
    );
    return rows.length > 0;
  }
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
