import { Queue } from 'bullmq';
import { ManualClock } from '@luotsi/domain';
import { QueueName, redisConnection } from '@luotsi/queue';
import { MaintenanceProcessor } from '../apps/worker/src/processors/maintenance.processor';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  PASSWORD,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const LINK = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/;
const K = 5;
const PEOPLE = 40;

type QuestionDef = { key: string; type: string; options?: { key: string }[] };

/** A complete, valid answer set for the built-in questions, its free text carrying `text`. */
function fullAnswers(questions: QuestionDef[], text: string) {
  return Object.fromEntries(
    questions.map((q) => [
      q.key,
      q.type === 'likert5'
        ? '4'
        : q.type === 'single_choice'
          ? q.options![0].key
          : q.type === 'free_text'
            ? text
            : '7',
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------
// The attacker: a reader of the database (or of a backup) who sees every row with its system columns
// and tries to pair each anonymous answer with the invitation whose `used` flag its author set.
// ---------------------------------------------------------------------------------------------------

/** A row as a database reader sees it: the writing transaction's id and the physical place. */
interface Seen {
  xmin: bigint;
  page: number;
  line: number;
}
interface SeenAnswer extends Seen {
  /** What the test knows and the attacker does not: which person wrote it. */
  marker: string;
}
interface SeenInvitation extends Seen {
  id: string;
  participantId: string | null;
  used: boolean;
}

const physical = (a: Seen, b: Seen) => a.page - b.page || a.line - b.line;
const parseCtid = (ctid: string) => {
  const [page, line] = ctid.slice(1, -1).split(',').map(Number);
  return { page, line };
};

type Candidates = Map<string, Set<string>>;

interface Attack {
  /** Per strategy and combined: for each answer (by marker), the invitations that could have written it. */
  strategies: Record<'sameXmin' | 'brackets' | 'physical' | 'combined', Candidates>;
  /** The smallest candidate set of each strategy. */
  min: Record<'sameXmin' | 'brackets' | 'physical' | 'combined', number>;
}

/**
 * Three ways to pair, and all of them at once:
 * - same xmin: an answer written by the transaction that flipped an invitation belongs to it;
 * - brackets: the answers written by one transaction came from the invitations flipped after the
 *   previous answer-writing transaction and up to this one (xids are handed out in order);
 * - physical order: answer rows are appended as they are written, so the consecutive rows of one
 *   writing transaction, at ranks [s, e) of the answers in physical (ctid) order, came from the
 *   invitations at the same ranks in the order of use (the order of their flips' transaction ids).
 * A strategy with nothing to say for an answer leaves it every used invitation.
 */
function attack(answers: SeenAnswer[], invitations: SeenInvitation[]): Attack {
  const used = invitations.filter((i) => i.used);
  const all = new Set(used.map((i) => i.id));
  const orNone = (ids: string[]) => (ids.length ? new Set(ids) : all);

  const sameXmin: Candidates = new Map();
  for (const answer of answers)
    sameXmin.set(answer.marker, orNone(used.filter((i) => i.xmin === answer.xmin).map((i) => i.id)));

  const writes = [...new Set(answers.map((a) => a.xmin))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const brackets: Candidates = new Map();
  for (const answer of answers) {
    const j = writes.indexOf(answer.xmin);
    const after = j > 0 ? writes[j - 1] : -1n;
    const inBracket = used.filter((i) => i.xmin > after && i.xmin <= answer.xmin).map((i) => i.id);
    brackets.set(
      answer.marker,
      inBracket.length
        ? new Set(inBracket)
        : orNone(used.filter((i) => i.xmin <= answer.xmin).map((i) => i.id)),
    );
  }

  const byPlace = [...answers].sort(physical);
  const inOrderOfUse = [...used].sort((a, b) => (a.xmin < b.xmin ? -1 : a.xmin > b.xmin ? 1 : 0));
  const physicalSets: Candidates = new Map();
  for (let start = 0; start < byPlace.length;) {
    let end = start + 1;
    while (end < byPlace.length && byPlace[end].xmin === byPlace[start].xmin) end++;
    const ids = inOrderOfUse.slice(start, end).map((i) => i.id);
    for (const answer of byPlace.slice(start, end)) physicalSets.set(answer.marker, orNone(ids));
    start = end;
  }

  const combined: Candidates = new Map();
  for (const answer of answers) {
    const sets = [sameXmin, brackets, physicalSets].map((s) => s.get(answer.marker)!);
    const both = [...sets[0]].filter((id) => sets[1].has(id) && sets[2].has(id));
    // Strategies that contradict each other leave the attacker its smallest set, not an empty one.
    combined.set(
      answer.marker,
      both.length ? new Set(both) : sets.reduce((a, b) => (b.size < a.size ? b : a)),
    );
  }

  const strategies = { sameXmin, brackets, physical: physicalSets, combined };
  const min = Object.fromEntries(
    Object.entries(strategies).map(([name, sets]) => [
      name,
      Math.min(...[...sets.values()].map((s) => s.size)),
    ]),
  ) as Attack['min'];
  return { strategies, min };
}

describe('answers: frozen membership and unlinkable anonymous writes', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  const env = () => ({
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  const one = async (sql: string, params: unknown[] = []) => (await api.db.query(sql, params))[0];
  const n = async (sql: string, params: unknown[] = []): Promise<number> => (await one(sql, params)).n;
  const waiting = (runId: string) =>
    n(`SELECT count(*)::int AS n FROM pending_answer WHERE retrospective_id = $1`, [runId]);
  const moved = (runId: string) =>
    n(`SELECT count(*)::int AS n FROM retrospective_response WHERE retrospective_id = $1`, [runId]);

  /** A running pilot in 2027-Q1 (time zone UTC) with `csv`'s people; the clock is two weeks before the end. */
  async function pilotWith(csv: string, levels = ['staff', 'management']) {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { levels, startQuarter: '2027-Q1' });
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    return { pilotId: pilot.id, quarterId: started.body.currentQuarter.id as string };
  }

  /** Opens the quarter's run by hand, lets the worker send the invitations, and reads each person's link. */
  async function openRun(quarterId: string, anonymity: string) {
    const before = smtp.received.length;
    const run = await api.http
      .post(`/api/v1/quarters/${quarterId}/retrospectives`)
      .set(bearer(owner.token))
      .send({ anonymity })
      .expect(201);
    await worker.tickAndDrain();
    const links: Record<string, string> = {};
    for (const mail of smtp.received.slice(before)) {
      const link = LINK.exec(mail.text);
      if (link) links[mail.to] = link[1];
    }
    return { run: run.body as { id: string; questions: QuestionDef[] }, links };
  }

  beforeEach(async () => {
    owner = await signUp(api.http);
  });

  it.each(['anonymous', 'confidential'])(
    'stores a %s answer with the level and language its invitation froze when the run opened',
    async (anonymity) => {
      const domain = `${unique('frozen-')}.example.fi`;
      const { quarterId } = await pilotWith(participantCsv(6, { domain }));
      const { run, links } = await openRun(quarterId, anonymity);
      // person1 is staff and Swedish-speaking; the invitation says so.
      const email = `person1@${domain}`;
      const [person] = await api.db.query(
        `SELECT id, level, locale FROM participant WHERE workspace_id = $1 AND email = $2`,
        [owner.id, email],
      );
      expect(person).toMatchObject({ level: 'staff', locale: 'sv' });
      const invitations = await api.db.query(
        `SELECT participant_id, level, locale FROM invitation WHERE retrospective_id = $1`,
        [run.id],
      );
      expect(invitations).toHaveLength(6);
      const people = await api.db.query(
        `SELECT id AS participant_id, level, locale FROM participant WHERE workspace_id = $1`,
        [owner.id],
      );
      expect([...invitations].sort((a, b) => a.participant_id.localeCompare(b.participant_id))).toEqual(
        [...people].sort((a, b) => a.participant_id.localeCompare(b.participant_id)),
      );

      // The coach moves the person to another level and another language while the run is open.
      await api.http
        .patch(`/api/v1/participants/${person.id}`)
        .set(bearer(owner.token))
        .send({ level: 'management', locale: 'en' })
        .expect(200);
      expect(await one(`SELECT level, locale FROM participant WHERE id = $1`, [person.id])).toEqual({
        level: 'management',
        locale: 'en',
      });
      // The form follows the person's language now; the answer keeps the invitation's.
      const form = await api.http.get(links[email]).expect(200);
      expect(form.text).toContain('<html lang="en">');
      await api.http
        .post(links[email])
        .type('form')
        .send(fullAnswers(run.questions, 'Moved after the opening.'))
        .expect(200);

      const stored = async () =>
        api.db.query(
          `SELECT level, locale FROM retrospective_response WHERE retrospective_id = $1
           UNION ALL SELECT level, locale FROM pending_answer WHERE retrospective_id = $1`,
          [run.id],
        );
      expect(await stored()).toEqual([{ level: 'staff', locale: 'sv' }]);
      // The same after the close, which rewrites an anonymous run's answers.
      await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(owner.token)).expect(200);
      expect(await stored()).toEqual([{ level: 'staff', locale: 'sv' }]);
      expect(await waiting(run.id)).toBe(0);
      expect(
        await n(`SELECT count(*)::int AS n FROM invitation WHERE retrospective_id = $1 AND level = 'staff'`, [
          run.id,
        ]),
      ).toBe(invitations.filter((i: { level: string }) => i.level === 'staff').length);
    },
  );

  it(`gives a database reader no way to narrow any of ${PEOPLE} anonymous answers to fewer than k invitations`, async () => {
    const domain = `${unique('batch-')}.example.fi`;
    const csv = participantCsv(PEOPLE, { domain });
    const { quarterId } = await pilotWith(csv);
    const { run, links } = await openRun(quarterId, 'anonymous');
    expect(Object.keys(links)).toHaveLength(PEOPLE);
    const [{ min_group_size: k }] = await api.db.query(
      `SELECT min_group_size FROM retrospective WHERE id = $1`,
      [run.id],
    );
    expect(k).toBe(K);
    const freeText = run.questions.find((q) => q.type === 'free_text')!.key;
    const emails = Array.from({ length: PEOPLE }, (_, i) => `person${i}@${domain}`);
    const participantOf: Record<string, string> = Object.fromEntries(
      (await api.db.query(`SELECT email, id FROM participant WHERE workspace_id = $1`, [owner.id])).map(
        (p: { email: string; id: string }) => [p.email, p.id],
      ),
    );
    // What only the test knows: the person behind each answer, by a marker in its free text.
    const authorOf = new Map<string, string>();
    const maintenance = new Queue(QueueName.Maintenance, {
      connection: redisConnection(api.env.REDIS_URL),
      prefix: api.env.QUEUE_PREFIX,
    });
    // (The scheduled heartbeat keeps a delayed job on this queue: only jobs due now count.)
    const idle = async () => {
      const c = await maintenance.getJobCounts('waiting', 'active', 'prioritized');
      return c.waiting + c.active + c.prioritized === 0;
    };
    const answer = async (i: number) => {
      const marker = `answer ${String(i).padStart(2, '0')}`;
      authorOf.set(marker, participantOf[emails[i]]);
      await api.http.post(links[emails[i]]).type('form').send(fullAnswers(run.questions, marker)).expect(200);
    };

    try {
      // Three answers in: they wait, none is in the run's answers. While it waits, an answer shares
      // its transaction with its invitation: the gap the documentation names.
      for (let i = 0; i < 3; i++) await answer(i);
      expect({ waiting: await waiting(run.id), moved: await moved(run.id) }).toEqual({
        waiting: 3,
        moved: 0,
      });
      const paired = await api.db.query(
        `SELECT count(*)::int AS n FROM pending_answer p JOIN invitation i ON i.xmin = p.xmin
         WHERE p.retrospective_id = $1 AND i.retrospective_id = $1`,
        [run.id],
      );
      expect(paired[0].n).toBe(3);

      // Answers 4–20, one by one; the k-th waiting answer asks for a move, which the worker makes.
      for (let i = 3; i < 20; i++) {
        await answer(i);
        await waitFor(idle, 10_000, () => 'the move job did not finish');
      }
      expect({ waiting: await waiting(run.id), moved: await moved(run.id) }).toEqual({
        waiting: 0,
        moved: 20,
      });

      // Seven answers whose jobs Redis loses (the worker takes none; the waiting ones are dropped).
      const processor = worker.app.get(MaintenanceProcessor).worker!;
      await processor.pause();
      try {
        for (let i = 20; i < 27; i++) {
          await answer(i);
          await maintenance.drain();
        }
        expect(await waiting(run.id)).toBe(7);
        // The next day the scheduler's beat finds them and moves all seven together.
        clock.advance(24 * 3600 * 1000);
        const tick = await worker.ticker.tick();
        expect(tick.answersMoved).toBe(7);
        // (The coach's access token of yesterday has expired.)
        const login = await api.http
          .post('/api/v1/auth/login')
          .send({ email: owner.email, password: PASSWORD })
          .expect(200);
        owner.token = login.body.accessToken;
      } finally {
        processor.resume();
      }
      expect({ waiting: await waiting(run.id), moved: await moved(run.id) }).toEqual({
        waiting: 0,
        moved: 27,
      });

      // The last thirteen: two more batches of five, and three left waiting.
      for (let i = 27; i < PEOPLE; i++) {
        await answer(i);
        await waitFor(idle, 10_000, () => 'the move job did not finish');
      }
      const completed = await maintenance.getJobs(['completed'], 0, 100);
      expect(
        completed
          .filter((job) => job.name === 'move-answers')
          .map((job) => job.id)
          .sort(),
      ).toEqual([0, 5, 10, 15, 27, 32].map((moved) => `answers.${run.id}.${moved}`).sort());
    } finally {
      await maintenance.close();
    }

    // The open run: every answer counted as responded, every moved batch at least k, fewer than k waiting.
    const live = await api.http.get(`/api/v1/retrospectives/${run.id}`).set(bearer(owner.token)).expect(200);
    expect(live.body).toMatchObject({ invited: PEOPLE, responded: PEOPLE });
    const batches: { xmin: string; size: number; day: string }[] = await api.db.query(
      `SELECT xmin::text AS xmin, count(*)::int AS size, min(submitted_on)::text AS day,
              count(DISTINCT submitted_on)::int AS days
       FROM retrospective_response WHERE retrospective_id = $1 GROUP BY xmin::text ORDER BY xmin::text::bigint`,
      [run.id],
    );
    expect(batches.map((b) => b.size)).toEqual([5, 5, 5, 5, 7, 5, 5]);
    expect(batches.every((b) => b.size >= k)).toBe(true);
    // A moved answer carries the day of its batch, not of its answer (the seven were given on the 17th).
    expect(batches.map((b) => b.day)).toEqual([
      '2027-03-17',
      '2027-03-17',
      '2027-03-17',
      '2027-03-17',
      '2027-03-18',
      '2027-03-18',
      '2027-03-18',
    ]);
    expect(await waiting(run.id)).toBe(3);
    expect(await waiting(run.id)).toBeLessThan(k);

    const read = async (runId: string) => {
      const answers: SeenAnswer[] = (
        await api.db.query(
          `SELECT xmin::text AS xmin, ctid::text AS ctid, answers ->> $2 AS marker
           FROM retrospective_response r WHERE retrospective_id = $1 ORDER BY r.ctid`,
          [runId, freeText],
        )
      ).map((r: { xmin: string; ctid: string; marker: string }) => ({
        xmin: BigInt(r.xmin),
        ...parseCtid(r.ctid),
        marker: r.marker,
      }));
      const invitations: SeenInvitation[] = (
        await api.db.query(
          `SELECT xmin::text AS xmin, ctid::text AS ctid, id, participant_id, used
           FROM invitation i WHERE retrospective_id = $1 ORDER BY i.ctid`,
          [runId],
        )
      ).map((r: { xmin: string; ctid: string; id: string; participant_id: string; used: boolean }) => ({
        xmin: BigInt(r.xmin),
        ...parseCtid(r.ctid),
        id: r.id,
        participantId: r.participant_id,
        used: r.used,
      }));
      return { answers, invitations };
    };
    /** The answers whose candidate set misses the true author: the strategy guessed, it did not infer. */
    const unsound = (seen: Awaited<ReturnType<typeof read>>, sets: Candidates, authors = authorOf) => {
      const participant = new Map(seen.invitations.map((i) => [i.id, i.participantId]));
      return seen.answers
        .filter((a) => ![...sets.get(a.marker)!].some((id) => participant.get(id) === authors.get(a.marker)))
        .map((a) => a.marker);
    };
    /**
     * How far the attacker narrows each answer: the smallest candidate set, of any strategy or of all
     * at once, that still holds the true author (a set that misses the author recovered nothing).
     */
    const narrowest = (seen: Awaited<ReturnType<typeof read>>, result: Attack, authors = authorOf) => {
      const participant = new Map(seen.invitations.map((i) => [i.id, i.participantId]));
      return Math.min(
        ...seen.answers.map((a) =>
          Math.min(
            ...Object.values(result.strategies)
              .map((sets) => sets.get(a.marker)!)
              .filter((set) => [...set].some((id) => participant.get(id) === authors.get(a.marker)))
              .map((set) => set.size),
          ),
        ),
      );
    };

    // The moved answers while the run is open: no answer narrows below its batch.
    const open = await read(run.id);
    expect(open.answers).toHaveLength(37);
    const whileOpen = attack(open.answers, open.invitations);
    expect(whileOpen.min).toMatchObject({ sameXmin: PEOPLE, brackets: k, physical: k });
    expect(unsound(open, whileOpen.strategies.brackets)).toEqual([]);
    expect(unsound(open, whileOpen.strategies.physical)).toEqual([]);
    expect(narrowest(open, whileOpen)).toBe(k);

    // The close moves the three waiting answers and rewrites every answer and invitation at once.
    await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(owner.token)).expect(200);
    expect(await waiting(run.id)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM pending_answer`)).toBe(0);
    const closed = await read(run.id);
    expect(closed.answers).toHaveLength(PEOPLE);
    expect(new Set(closed.answers.map((a) => a.marker)).size).toBe(PEOPLE);
    const afterClose = attack(closed.answers, closed.invitations);
    expect(afterClose.min).toEqual({
      sameXmin: PEOPLE,
      brackets: PEOPLE,
      physical: PEOPLE,
      combined: PEOPLE,
    });
    expect(narrowest(closed, afterClose)).toBe(PEOPLE);
    expect(
      await api.db.query(
        `SELECT DISTINCT submitted_on::text AS day FROM retrospective_response WHERE retrospective_id = $1`,
        [run.id],
      ),
    ).toEqual([{ day: '2027-03-18' }]);

    // Ids are random (version 4), with the database's gen_random_uuid() as the default.
    const ids: { id: string }[] = await api.db.query(
      `SELECT id FROM retrospective_response WHERE retrospective_id = $1`,
      [run.id],
    );
    expect(
      ids.filter((r) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id)),
    ).toEqual([]);
    const defaults = await api.db.query(
      `SELECT table_name, column_default FROM information_schema.columns
       WHERE table_name IN ('retrospective_response', 'pending_answer') AND column_name = 'id' ORDER BY 1`,
    );
    expect(defaults).toEqual([
      { table_name: 'pending_answer', column_default: 'gen_random_uuid()' },
      { table_name: 'retrospective_response', column_default: 'gen_random_uuid()' },
    ]);
    // The holding table has nothing that points to a person, an invitation or a time.
    const columns = await api.db.query(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'pending_answer' ORDER BY 1`,
    );
    expect(columns.map((c: { c: string }) => c.c)).toEqual([
      'answers',
      'id',
      'level',
      'locale',
      'retrospective_id',
      'workspace_id',
    ]);

    // The attacker is not blind: against a run written the old way (each answer in the transaction that
    // flips its invitation, in order of submission), it pairs every answer with its author.
    const control = await pilotWith(csv);
    const old = await api.http
      .post(`/api/v1/quarters/${control.quarterId}/retrospectives`)
      .set(bearer(owner.token))
      .send({ anonymity: 'anonymous' })
      .expect(201);
    const oldInvitations: { id: string; participant_id: string; level: string; locale: string }[] =
      await api.db.query(
        `SELECT id, participant_id, level, locale FROM invitation WHERE retrospective_id = $1 ORDER BY random()`,
        [old.body.id],
      );
    expect(oldInvitations).toHaveLength(PEOPLE);
    // Rows appended in order is the old way's weakness, and what the physical attack reads; earlier runs'
    // dead rows, once vacuumed, leave free space a new row may fill instead. Compacting the table first
    // leaves none, whenever autovacuum happens to run.
    await api.db.query('VACUUM FULL retrospective_response');
    const oldAuthorOf = new Map<string, string>();
    for (const [i, invitation] of oldInvitations.entries()) {
      const marker = `old ${i}`;
      oldAuthorOf.set(marker, invitation.participant_id);
      await api.db.transaction(async (manager) => {
        await manager.query(`UPDATE invitation SET used = true WHERE id = $1 AND NOT used`, [invitation.id]);
        await manager.query(
          `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
           VALUES ($1, $2, NULL, $3, $4, $5::jsonb, DATE '2027-03-18')`,
          [
            owner.id,
            old.body.id,
            invitation.level,
            invitation.locale,
            JSON.stringify({ [freeText]: marker }),
          ],
        );
      });
    }
    const oldShape = await read(old.body.id);
    const broken = attack(oldShape.answers, oldShape.invitations);
    expect(narrowest(oldShape, broken, oldAuthorOf)).toBeLessThan(k);
    expect(broken.min).toEqual({ sameXmin: 1, brackets: 1, physical: 1, combined: 1 });
    expect(unsound(oldShape, broken.strategies.sameXmin, oldAuthorOf)).toEqual([]);
    expect(unsound(oldShape, broken.strategies.brackets, oldAuthorOf)).toEqual([]);
    expect(unsound(oldShape, broken.strategies.physical, oldAuthorOf)).toEqual([]);
  }, 180_000);
});
