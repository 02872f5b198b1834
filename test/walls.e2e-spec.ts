import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const DOMAIN = 'libs/domain/src';

/** A file of the feature that is not its index (the probes must reach past the index). */
function innerFile(feature: string): string {
  const file = readdirSync(join(ROOT, DOMAIN, feature))
    .filter((name) => name.endsWith('.ts') && name !== 'index.ts' && !name.endsWith('.spec.ts'))
    .sort()[0];
  if (!file) throw new Error(`no inner file in ${DOMAIN}/${feature}`);
  return `${DOMAIN}/${feature}/${file}`;
}

/** `node scripts/walls.js` with temporary files in the tree, each importing `to`; the files are removed after. */
function wallsWith(probes: { at: string; to: string }[]): { status: number | null; output: string } {
  return wallsWithFiles(
    probes.map(({ at, to }) => {
      let specifier = relative(join(ROOT, at, '..'), join(ROOT, to)).replace(/\.ts$/, '');
      if (!specifier.startsWith('.')) specifier = `./${specifier}`;
      return { at, text: `import '${specifier}';\n` };
    }),
  );
}

/** `node scripts/walls.js` with temporary files in the tree; the files are removed after. */
function wallsWithFiles(probes: { at: string; text: string }[]): { status: number | null; output: string } {
  const written: string[] = [];
  try {
    for (const { at, text } of probes) {
      writeFileSync(join(ROOT, at), text);
      written.push(at);
    }
    const run = spawnSync(process.execPath, ['scripts/walls.js'], { cwd: ROOT, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    for (const at of written) rmSync(join(ROOT, at), { force: true });
  }
}

/** The wall check (`npm run walls`, part of `npm test`) fails on a new violation and names its rule. */
describe('walls', () => {
  const probe = `walls-probe-${process.pid}.ts`;

  it('fails when a library imports an app', () => {
    const at = `libs/config/src/${probe}`;
    const { status, output } = wallsWith([{ at, to: 'apps/api/src/api.module.ts' }]);

    expect(status).toBe(1);
    expect(output).toContain(`error libs-not-apps: ${at} → apps/api/src/api.module.ts`);
  });

  it("fails when a feature imports another feature's inner file, and when two features form a cycle", () => {
    const heartbeat = `${DOMAIN}/heartbeat/${probe}`;
    const pilots = `${DOMAIN}/pilots/${probe}`;
    const pilotsInner = innerFile('pilots');
    const heartbeatInner = innerFile('heartbeat');
    const { status, output } = wallsWith([
      { at: heartbeat, to: pilotsInner },
      { at: pilots, to: heartbeatInner },
    ]);

    expect(status).toBe(1);
    expect(output).toContain(`error feature-through-index: ${heartbeat} → ${pilotsInner}`);
    expect(output).toContain(`error feature-through-index: ${pilots} → ${heartbeatInner}`);
    expect(output).toContain(`error no-feature-cycle: ${DOMAIN}/heartbeat → ${DOMAIN}/pilots`);
  });

  it("fails when a table is reached outside its owner's store, by SQL or through its entity", () => {
    const bySql = `${DOMAIN}/heartbeat/${probe}`;
    const byEntity = `apps/api/src/${probe}`;
    const { status, output } = wallsWithFiles([
      { at: bySql, text: 'export const probe = `SELECT count(*) FROM audit_event WHERE action = $1`;\n' },
      {
        at: byEntity,
        text:
          "import { DataSource } from 'typeorm';\nimport { AuditEvent } from '@luotsi/database';\n" +
          'export const probe = (db: DataSource) => db.getRepository(AuditEvent).count();\n',
      },
    ]);

    expect(status).toBe(1);
    const owner = `${DOMAIN}/audit/audit.store.ts`;
    expect(output).toContain(
      `error table-owner: audit_event is reached in ${bySql}, outside its owner ${owner}`,
    );
    expect(output).toContain(
      `error table-owner: audit_event is reached in ${byEntity}, outside its owner ${owner}`,
    );
  });
});
