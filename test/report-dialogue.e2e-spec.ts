import { ManualClock, type LearningReportContent } from '@luotsi/domain';
import { waitFor } from './support/processes';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const PLANNING_LINK = /http:\/\/luotsi\.test(\/p\/p_[A-Za-z0-9_-]{43})/;

/** A small seeded generator (mulberry32): the same data on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  };
}

/** `sum / n` rounded half up to `digits` decimals, in integers (sum in units of 10^-digits already). */
const roundedMean = (sum: number, n: number, scale: number) =>
  Math.floor((2 * sum * scale + n) / (2 * n)) / scale;

interface Draft {
  objectiveId: string;
  keyResultIds: string[];
}
interface Post {
  author: string;
  objectiveId: string;
  keyResultId: string | null;
  kind: 'comment' | 'rewording' | 'volunteer';
  proposedTitle: string;
  accepted: boolean;
}

/**
 * The learning report's planning dialogue section, from generated data (a fixed seed): two pilots plan
 * their second quarter in dialogue through their mailed links; the coach accepts some rewordings and
 * offers; at the quarter's start the key results get final scores and check-ins. Every figure the test
 * expects is counted here from what it generated and posted, never read from Luotsi. The large pilot's
 * comparison is shown (each group at least k = 5 key results); the small one's is withheld.
 */
describe('the learning report’s planning dialogue section', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-10T12:00:00Z'));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  const login = async () =>
    bearer(
      (
        await api.http
          .post('/api/v1/auth/login')
          .send({ email: owner.email, password: 'correct horse battery staple' })
          .expect(200)
      ).body.accessToken,
    );

  // Two seeds: together they give accepted rewordings of key results and of an objective, and offers
  // accepted and not, in a pilot whose comparison is shown and in one whose comparison is withheld.
  it.each([42, 2027])(
    'counts who took part, entries per objective, changed key results and volunteers, and compares only groups of k (seed %i)',
    async (seed) => {
      const rng = random(seed);
      clock.set(new Date('2027-03-10T12:00:00Z'));
      owner = await signUp(api.http);
      let auth = bearer(owner.token);
      const organization = await createOrganization(api.http, owner.token, {
        timeZone: 'UTC',
        defaultLocale: 'fi',
      });
      const rollout = await createRollout(api.http, owner.token, organization.id);
      await api.http
        .put(`/api/v1/rollouts/${rollout.id}/cadence`)
        .set(auth)
        .send({
          steps: [
            {
              key: 'planning-open',
              kind: 'planning_open',
              anchor: 'end',
              offsetDays: -13,
              sendTime: '10:00',
              template: 'planning-open',
              audience: 'participants',
            },
          ],
          weeklyEmailCap: 50,
          quietHours: { start: '00:00', end: '00:00' },
        })
        .expect(200);

      /** A pilot with `people` participants and drafts of `keyResults` key results per objective. */
      const setUp = async (name: string, people: number, keyResults: number[]) => {
        const pilot = await createPilot(api.http, owner.token, rollout.id, {
          name,
          levels: ['staff'],
          startQuarter: '2027-Q1',
          quarterCount: 2,
        });
        const emails: string[] = [];
        const ids: string[] = [];
        for (let i = 0; i < people; i++) {
          const email = `${name.toLowerCase()}${i}.${seed}@example.fi`;
          const created = await api.http
            .post(`/api/v1/pilots/${pilot.id}/participants`)
            .set(auth)
            .send({ email, name: `${name} ${i}`, locale: 'fi', level: 'staff', timeZone: 'UTC' })
            .expect(201);
          emails.push(email);
          ids.push(created.body.id);
        }
        await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
        const [, q2] = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200)).body;
        const drafts: Draft[] = [];
        for (const [o, count] of keyResults.entries()) {
          const created = (
            await api.http
              .post(`/api/v1/quarters/${q2.id}/objectives`)
              .set(auth)
              .send({
                title: `${name} objective ${o + 1}`,
                keyResults: Array.from({ length: count }, (_, k) => ({
                  title: `${name} key result ${o + 1}.${k + 1}`,
                  kind: 'committed',
                  measure: 'binary',
                })),
              })
              .expect(201)
          ).body;
          drafts.push({
            objectiveId: created.id,
            keyResultIds: created.keyResults.map((kr: { id: string }) => kr.id),
          });
        }
        return { pilot, q2: q2 as { id: string }, emails, ids, drafts, links: new Map<string, string>() };
      };
      // Big: 9 people, 6 objectives with 4, 3, 4, 3, 3 and 3 key results. Small: 3 people, one objective with 2.
      const big = await setUp('Iso', 9, [4, 3, 4, 3, 3, 3]);
      const small = await setUp('Pieni', 3, [2]);

      clock.set(new Date('2027-03-18T10:00:00Z'));
      await worker.tickAndDrain();
      for (const pilot of [big, small])
        for (const [i, email] of pilot.emails.entries()) {
          const mail = smtp.received.find(
            (m) => m.to === email && m.header('x-luotsi-message')!.includes('.planning-open.'),
          );
          pilot.links.set(pilot.ids[i], PLANNING_LINK.exec(mail!.html)![1]);
        }

      // Generated posts: each person 0–2 entries on random drafts; the coach accepts about half the
      // rewordings and offers.
      let minute = 0;
      const generate = async (pilot: typeof big) => {
        const posts: Post[] = [];
        const targets = pilot.drafts.flatMap((d) => [
          { objectiveId: d.objectiveId, keyResultId: null as string | null },
          ...d.keyResultIds.map((keyResultId) => ({ objectiveId: d.objectiveId, keyResultId })),
        ]);
        for (const author of pilot.ids) {
          const count = rng.int(3);
          for (let n = 0; n < count; n++) {
            const target = rng.pick(targets);
            const roll = rng.next();
            const kind = roll < 0.45 ? 'comment' : roll < 0.7 ? 'rewording' : 'volunteer';
            clock.set(new Date(Date.UTC(2027, 2, 19, 8) + ++minute * 60_000));
            const res = await api.http
              .post(pilot.links.get(author)!)
              .type('form')
              .send({
                lang: 'fi',
                action: kind,
                target: target.keyResultId ? `k:${target.keyResultId}` : `o:${target.objectiveId}`,
                body: kind === 'volunteer' ? '' : `Ajatus ${minute}`,
                proposedTitle: kind === 'rewording' ? `Parempi muotoilu ${minute}` : '',
              })
              .expect(303);
            const entryId = res.headers.location.split('#entry-')[1];
            posts.push({
              author,
              ...target,
              kind,
              proposedTitle: `Parempi muotoilu ${minute}`,
              accepted: false,
              entryId,
            } as Post & { entryId: string });
          }
        }
        auth = await login();
        for (const post of posts as (Post & { entryId: string })[])
          if (post.kind !== 'comment' && rng.next() < 0.5) {
            await api.http.post(`/api/v1/planning-entries/${post.entryId}/accept`).set(auth).expect(200);
            post.accepted = true;
          }
        return posts;
      };
      const bigPosts = await generate(big);
      const smallPosts = await generate(small);

      // The quarter starts on 1 April; the key results get generated final scores (some none) and check-ins.
      for (const day of ['2027-03-25', '2027-04-01']) {
        clock.set(new Date(`${day}T12:00:00Z`));
        await worker.tickAndDrain();
      }
      auth = await login();
      const outcome = new Map<string, { score: number | null; checkIns: number }>();
      for (const pilot of [big, small])
        for (const keyResultId of pilot.drafts.flatMap((d) => d.keyResultIds)) {
          const score = rng.next() < 0.8 ? rng.int(101) : null;
          const checkIns = rng.int(6);
          outcome.set(keyResultId, { score, checkIns });
          if (score !== null)
            await api.http
              .post(`/api/v1/key-results/${keyResultId}/score`)
              .set(auth)
              .send({ score: score / 100 })
              .expect(200);
          await api.db.query(
            `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, week, done, confidence, recorded_on)
           SELECT $1, $2, $3, $4, w, false, 5, '2027-04-01' FROM generate_series(1, $5::int) AS w`,
            [owner.id, organization.id, pilot.q2.id, keyResultId, checkIns],
          );
        }

      /** What the section must say, counted from the generated posts, decisions and outcomes. */
      const expected = (pilot: typeof big, posts: Post[], k: number) => {
        const discussed = (objectiveId: string, keyResultId: string) =>
          posts.some(
            (p) => p.keyResultId === keyResultId || (p.objectiveId === objectiveId && p.keyResultId === null),
          );
        const group = (wanted: boolean) => {
          const ids = pilot.drafts.flatMap((d) =>
            d.keyResultIds.filter((id) => discussed(d.objectiveId, id) === wanted),
          );
          const scores = ids.map((id) => outcome.get(id)!.score).filter((s): s is number => s !== null);
          const checkIns = ids.reduce((sum, id) => sum + outcome.get(id)!.checkIns, 0);
          return {
            keyResults: ids.length,
            scored: scores.length,
            // Scores are in hundredths: the mean to two decimals; check-ins per key result to one.
            averageScore: scores.length
              ? roundedMean(
                  scores.reduce((a, b) => a + b, 0),
                  scores.length,
                  1,
                ) / 100
              : null,
            checkInsPerKeyResult: ids.length ? roundedMean(checkIns, ids.length, 10) : null,
          };
        };
        const [yes, no] = [group(true), group(false)];
        return {
          participants: pilot.ids.length,
          tookPart: new Set(posts.map((p) => p.author)).size,
          entries: posts.length,
          comments: posts.filter((p) => p.kind === 'comment').length,
          rewordings: posts.filter((p) => p.kind === 'rewording').length,
          offers: posts.filter((p) => p.kind === 'volunteer').length,
          objectives: pilot.drafts.map((d, o) => ({
            objectiveId: d.objectiveId,
            // An accepted rewording of the objective itself is its title now (the last one accepted).
            title:
              posts
                .filter(
                  (p) =>
                    p.kind === 'rewording' && p.accepted && p.objectiveId === d.objectiveId && !p.keyResultId,
                )
                .map((p) => p.proposedTitle)
                .pop() ?? `${pilot === big ? 'Iso' : 'Pieni'} objective ${o + 1}`,
            entries: posts.filter((p) => p.objectiveId === d.objectiveId).length,
            comments: posts.filter((p) => p.objectiveId === d.objectiveId && p.kind === 'comment').length,
          })),
          keyResultsChanged: new Set(
            posts
              .filter((p) => p.kind === 'rewording' && p.accepted && p.keyResultId)
              .map((p) => p.keyResultId),
          ).size,
          ownersVolunteered: new Set(
            posts.filter((p) => p.kind === 'volunteer' && p.accepted).map((p) => p.author),
          ).size,
          comparison:
            yes.keyResults >= k && no.keyResults >= k
              ? { k, withheld: false, discussed: yes, notDiscussed: no }
              : { k, withheld: true, reason: 'fewer than k key results in a compared group' },
        };
      };

      /** The worker builds the report the request queues (its `build-report` job). */
      const build = async (quarterId: string): Promise<LearningReportContent> => {
        await api.http.post(`/api/v1/quarters/${quarterId}/learning-report`).set(auth).expect(202);
        let report: { status: string; content: LearningReportContent } | undefined;
        await waitFor(
          async () => {
            report = (
              await api.http.get(`/api/v1/quarters/${quarterId}/learning-report`).set(auth).expect(200)
            ).body;
            return report!.status === 'ready';
          },
          30_000,
          () => `the report is ${report?.status}`,
        );
        return report!.content;
      };

      // No retrospective in the quarter: the report's k is the default, 5.
      const bigReport = await build(big.q2.id);
      const bigExpected = expected(big, bigPosts, 5);
      expect(bigReport.dialogue).toEqual(bigExpected);
      // The seed gives both groups at least five key results, so the big pilot's comparison is shown.
      expect(bigExpected.comparison.withheld).toBe(false);
      expect(bigExpected.tookPart).toBeGreaterThan(0);

      const smallReport = await build(small.q2.id);
      const smallExpected = expected(small, smallPosts, 5);
      expect(smallReport.dialogue).toEqual(smallExpected);
      // Two key results in all: never five on each side.
      expect(smallReport.dialogue!.comparison).toEqual({
        k: 5,
        withheld: true,
        reason: 'fewer than k key results in a compared group',
      });

      // The formats: the HTML page in Finnish, the CSV, the JSON over the API.
      const html = (
        await api.http
          .get(`/api/v1/quarters/${small.q2.id}/learning-report.html?lang=fi`)
          .set(auth)
          .expect(200)
      ).text;
      expect(html).toContain('Mitä suunnittelukeskustelu sai aikaan');
      expect(html).toContain(
        'Käsiteltyjen ja käsittelemättömien avaintulosten vertailua ei näytetä: kummassakin ryhmässä on oltava vähintään 5 avaintulosta.',
      );
      const bigHtml = (
        await api.http.get(`/api/v1/quarters/${big.q2.id}/learning-report.html?lang=en`).set(auth).expect(200)
      ).text;
      expect(bigHtml).toContain('Key results discussed in the dialogue, and those not discussed');
      expect(bigHtml).toContain(`<strong>${bigExpected.tookPart}</strong>took part (of 9 participants)`);
      const csv = (
        await api.http.get(`/api/v1/quarters/${big.q2.id}/learning-report.csv`).set(auth).expect(200)
      ).text;
      expect(csv).toContain(`dialogue,,all,took_part,${bigExpected.tookPart}\r\n`);
      expect(csv).toContain(`dialogue,,all,key_results_changed,${bigExpected.keyResultsChanged}\r\n`);
      expect(csv).toContain(
        `dialogue,comparison,discussed,key_results,${(bigExpected.comparison as { discussed: { keyResults: number } }).discussed.keyResults}\r\n`,
      );
      const smallCsv = (
        await api.http
          .get(`/api/v1/quarters/${small.q2.id}/learning-report.csv?lang=fi`)
          .set(auth)
          .expect(200)
      ).text;
      expect(smallCsv).toContain(
        'dialogue,comparison,all,suppressed,alle k avaintulosta vertailtavassa ryhmässä',
      );
      expect(smallCsv).not.toContain('average_score');
      const json = (await api.http.get(`/api/v1/quarters/${big.q2.id}/learning-report`).set(auth).expect(200))
        .body;
      expect(json.content.dialogue).toEqual(bigExpected);
    },
  );
});
