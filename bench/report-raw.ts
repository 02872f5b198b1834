import type { Client } from 'pg';

/** The numbers of a learning report that come from the answers, as plain SQL would compute them. */
export interface RawReport {
  response: {
    of: number;
    count: number;
    rate: number | null;
    byLevel: Record<string, { of: number; count: number }>;
  };
  questions: Record<
    string,
    {
      responses: number;
      mean: number | null;
      median: number | null;
      distribution: Record<string, number>;
      byLevel: Record<string, { responses: number; mean: number | null }>;
      trend: Record<string, { responses: number; mean: number | null }>;
    }
  >;
}

const NUMBER = `CASE WHEN jsonb_typeof(e.value) = 'number' THEN (e.value #>> '{}')::numeric END`;

/**
 * The raw limit of the report path: three statements over the same rows, each answer unnested once
 * with `jsonb_each`. The response rate by level; this run's count, mean, median and distribution per
 * question, overall and by level; and count and mean per question in each run of the trend. No
 * suppression, no themes, no practice, no comparison, nothing stored.
 */
export async function rawReport(
  db: Client,
  runId: string,
  trendRunIds: string[],
  choiceKeys: string[],
): Promise<RawReport> {
  const response = await db.query<{
    level: string | null;
    total: number;
    invited: number;
    responded: number;
    rate: number | null;
  }>(
    `SELECT level, GROUPING(level)::int AS total, sum(invited)::int AS invited, sum(responded)::int AS responded,
            round(sum(responded)::numeric / NULLIF(sum(invited), 0), 4)::float8 AS rate
     FROM (SELECT p.level, 1 AS invited, 0 AS responded
           FROM invitation i JOIN participant p ON p.id = i.participant_id WHERE i.retrospective_id = $1
           UNION ALL
           SELECT level, 0, 1 FROM retrospective_response WHERE retrospective_id = $1) x
     GROUP BY ROLLUP (level)`,
    [runId],
  );
  const answers = await db.query<{
    key: string;
    level: string | null;
    value: string | null;
    by_level: number;
    by_value: number;
    n: number;
    mean: number | null;
    median: number | null;
  }>(
    `SELECT e.key, r.level, v.value, 1 - GROUPING(r.level) AS by_level, 1 - GROUPING(v.value) AS by_value,
            count(*)::int AS n, round(avg(${NUMBER}), 1)::float8 AS mean,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY (${NUMBER})::float8))::float8 AS median
     FROM retrospective_response r
     CROSS JOIN LATERAL jsonb_each(r.answers) e
     CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(e.value) = 'number' OR e.key = ANY($2::text[])
                                     THEN e.value #>> '{}' END AS value) v
     WHERE r.retrospective_id = $1
     GROUP BY GROUPING SETS ((e.key), (e.key, r.level), (e.key, v.value))`,
    [runId, choiceKeys],
  );
  const trend = await db.query<{ run_id: string; key: string; n: number; mean: number | null }>(
    `SELECT r.retrospective_id AS run_id, e.key, count(*)::int AS n, round(avg(${NUMBER}), 1)::float8 AS mean
     FROM retrospective_response r CROSS JOIN LATERAL jsonb_each(r.answers) e
     WHERE r.retrospective_id = ANY($1::uuid[])
     GROUP BY 1, 2`,
    [trendRunIds],
  );

  const overall = response.rows.find((row) => row.total === 1);
  const report: RawReport = {
    response: {
      of: overall?.invited ?? 0,
      count: overall?.responded ?? 0,
      rate: overall?.rate ?? null,
      byLevel: Object.fromEntries(
        response.rows
          .filter((row) => row.total === 0 && row.level)
          .map((row) => [row.level!, { of: row.invited, count: row.responded }]),
      ),
    },
    questions: {},
  };
  const question = (key: string) =>
    (report.questions[key] ??= {
      responses: 0,
      mean: null,
      median: null,
      distribution: {},
      byLevel: {},
      trend: {},
    });
  for (const row of answers.rows) {
    const entry = question(row.key);
    if (row.by_level) entry.byLevel[row.level!] = { responses: row.n, mean: row.mean };
    else if (row.by_value) {
      if (row.value !== null) entry.distribution[row.value] = row.n;
    } else Object.assign(entry, { responses: row.n, mean: row.mean, median: row.median });
  }
  for (const row of trend.rows) question(row.key).trend[row.run_id] = { responses: row.n, mean: row.mean };
  return report;
}
