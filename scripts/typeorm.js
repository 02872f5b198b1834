#!/usr/bin/env node
/**
 * Runs the TypeORM CLI on the TypeScript sources (compiled on the fly by swc, with decorator metadata),
 * and creates the target database first if it does not exist yet, so a fresh clone needs no manual step.
 *   npm run migration:run | migration:revert | migration:generate -- migrations/<Name>
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const [command, ...rest] = process.argv.slice(2);
if (!command) {
  console.error('usage: scripts/typeorm.js <migration:run|migration:revert|migration:generate> [args]');
  process.exit(2);
}

async function ensureDatabase() {
  const { Client } = require('pg');
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/luotsi');
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

(async () => {
  if (command !== 'migration:revert') await ensureDatabase();
  const args = [
    '-r',
    path.join(__dirname, 'register-swc.js'),
    require.resolve('typeorm/cli.js'),
    command,
    '-d',
    path.join(root, 'libs/database/src/data-source.ts'),
    ...rest,
  ];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  process.exit(result.status ?? 1);
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
