import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** `docker compose` (the v2 plugin) where it exists, else the standalone `docker-compose`, else none. */
function composeCommand(): string[] | null {
  const run = (command: string[]) =>
    spawnSync(command[0], [...command.slice(1), 'version'], { encoding: 'utf8' });
  if (run(['docker', 'compose']).status === 0) return ['docker', 'compose'];
  if (run(['docker-compose']).status === 0) return ['docker-compose'];
  return null;
}

const compose = composeCommand();
const validate = (file: string) =>
  spawnSync(compose![0], [...compose!.slice(1), '-f', file, 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });

/** No Docker engine runs here: the compose file is validated, and the Dockerfile checked statically. */
describe('docker-compose.yml and docker/Dockerfile', () => {
  // Skipped only where no compose client is installed at all; the reason is in the test's name.
  (compose ? it : it.skip)(
    `passes ${compose ? compose.join(' ') : '`docker compose` (no compose client installed: skipped)'} config -q`,
    () => {
      const result = validate('docker-compose.yml');
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });

      // The validator is not a no-op: a broken dependency condition is refused.
      const dir = mkdtempSync(path.join(tmpdir(), 'luotsi-compose-'));
      try {
        const broken = path.join(dir, 'docker-compose.yml');
        writeFileSync(
          broken,
          readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8').replace(
            'condition: service_completed_successfully',
            'condition: whenever',
          ),
        );
        expect(validate(broken).status).not.toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('declares the services, Redis without eviction, and the order they start in', () => {
    const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const service of ['postgres', 'redis', 'mailpit', 'migrate', 'api', 'worker'])
      expect(text).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    expect(text).toContain(
      "command: ['redis-server', '--appendonly', 'yes', '--maxmemory-policy', 'noeviction']",
    );
    expect(text.match(/condition: service_completed_successfully/g)).toHaveLength(2);
  });

  it('builds from files that exist, with the stages docker-compose.yml names', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(expect.arrayContaining(['deps', 'build', 'prod-deps', 'migrate', 'runtime']));
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const [, target] of compose.matchAll(/target: (\S+)/g)) expect(stages).toContain(target);
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources.split(/\s+/)) {
        expect({ source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
        expect(ignored).not.toContain(source);
      }
    }
    // The commands run the paths nest build writes (and npm start reads).
    const start = readFileSync(path.join(ROOT, 'scripts/start.js'), 'utf8');
    for (const entry of ['dist/apps/api/apps/api/src/main.js', 'dist/apps/worker/apps/worker/src/main.js']) {
      expect(dockerfile + compose).toContain(entry);
      expect(start).toContain(entry);
    }
  });
});
