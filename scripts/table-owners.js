// Each table has one owner: the store of the feature that owns it (docs/architecture.md, "Features and what
// they own"). This check, run by `npm run walls` (scripts/walls.js) and so by `npm test`, lists for every
// table of the migrations the files of apps/ and libs/ that reach it, and fails when an owned table is
// reached outside its owner's store, or the `relations.ts` beside that store (the constant sub-selects its
// feature publishes for other features' set-based SQL; see `Relation` in libs/domain/src/common/sql.ts).
//
//   node scripts/table-owners.js          the check alone
//   node scripts/table-owners.js --list   every table with the files that reach it, owned or not
//   node scripts/table-owners.js --prune  removes the entries of .table-owners.json that no longer apply
//
// A file reaches a table by SQL (FROM, JOIN, INTO or UPDATE followed by the table's name, keywords in
// capitals as the code writes them) or through TypeORM with the table's entity class as the first argument
// of a repository or manager call (`getRepository(Member)`, `manager.insert(AuditEvent, …)`,
// `tenancy.repo(Pilot, …)`, `createQueryBuilder(Quarter, …)`, …). In libs/domain, another feature's entity
// class may be imported as a type only (what the owner's service returns), never as a value. Not scanned: libs/database (the entities
// and the data source define the tables), apps/demo (a spectator that reads the database to tell what its
// simulated people did, as the tests do), and unit specs.
//
// .table-owners.json, committed:
//   owners         table → the store file that owns it; only that file (and its relations.ts) may reach it
//   notYetMoved    table → the feature that will own it; not checked yet. This list only shrinks: a table
//                  that gets an owner leaves it (--prune), and a new table needs an owner from the start
//   knownViolations  { table, file } of owned tables still reached elsewhere, in features being changed by
//                  others at the time; it only shrinks too (a file that stops reaching the table fails
//                  the check until --prune removes the entry)
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const LIST = '.table-owners.json';
const MIGRATIONS = 'migrations';
const ENTITIES = 'libs/database/src/entities';
const SCANNED = ['apps', 'libs'];
const NOT_SCANNED = [/^libs\/database\//, /^apps\/demo\//, /\.spec\.ts$/, /\.d\.ts$/];
const RULE = 'table-owner';

/** TypeORM calls whose first argument, when it is an entity class, reaches that entity's table. */
const REACHING_CALLS = [
  'getRepository',
  'InjectRepository',
  'repo',
  'insert',
  'update',
  'upsert',
  'delete',
  'save',
  'create',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'increment',
  'decrement',
  'clear',
  'sum',
  'average',
  'minimum',
  'maximum',
  'createQueryBuilder',
  'from',
  'find\\w*',
  'count\\w*',
  'exist\\w*',
  '\\w*[jJ]oin\\w*',
];

/** The relations a store's feature publishes (`<feature>/relations.ts`): part of the owner, as its store is. */
const relationsOf = (store) => store.replace(/^(libs\/domain\/src\/[^/]+\/).*$/, '$1relations.ts');

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The tables the migrations leave, in order of creation. */
function tablesOfMigrations() {
  const tables = [];
  const files = readdirSync(path.join(ROOT, MIGRATIONS))
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .sort();
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, MIGRATIONS, file), 'utf8');
    // Only `up` counts: `down` undoes it.
    const up = text.split(/\bpublic async down\b/)[0];
    const statement =
      /\b(CREATE TABLE(?: IF NOT EXISTS)?|DROP TABLE(?: IF EXISTS)?|ALTER TABLE)\s+"?(\w+)"?(?:\s+RENAME TO\s+"?(\w+)"?)?/g;
    for (const [, verb, table, renamed] of up.matchAll(statement)) {
      const at = tables.indexOf(table);
      if (verb.startsWith('CREATE') && at < 0) tables.push(table);
      else if (verb.startsWith('DROP') && at >= 0) tables.splice(at, 1);
      else if (renamed && at >= 0) tables[at] = renamed;
    }
  }
  return tables;
}

/** Entity class name → table, from the entity files (`@Entity()` names the table after the class). */
function entityTables() {
  const entities = new Map();
  for (const file of readdirSync(path.join(ROOT, ENTITIES)).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(ROOT, ENTITIES, file), 'utf8');
    // Other decorators (@Index, @Unique) may stand between @Entity and the class.
    for (const [, name, className] of text.matchAll(
      /@Entity\(\s*(?:['"](\w+)['"])?[^)]*\)[\s\S]*?export class (\w+)/g,
    ))
      entities.set(className, name ?? snake(className));
  }
  return entities;
}

function sourceFiles(dir, found = []) {
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') sourceFiles(relative, found);
    } else if (entry.name.endsWith('.ts') && !NOT_SCANNED.some((pattern) => pattern.test(relative))) {
      found.push(relative);
    }
  }
  return found;
}

/** table → the files that reach it (sorted). */
function reaches(tables, entities) {
  const byTable = new Map(tables.map((t) => [t, new Set()]));
  const sql = /\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)\b/g;
  const known = [...entities.keys()].filter((name) => byTable.has(entities.get(name)));
  const orm = new RegExp(
    `\\b(?:${REACHING_CALLS.join('|')})\\s*(?:<[^<>()]*>)?\\(\\s*(${known.join('|')})\\b`,
    'g',
  );
  for (const file of SCANNED.flatMap((dir) => sourceFiles(dir))) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const [, table] of text.matchAll(sql)) byTable.get(table)?.add(file);
    if (known.length)
      for (const [, entity] of text.matchAll(orm)) byTable.get(entities.get(entity))?.add(file);
  }
  return new Map([...byTable].map(([table, files]) => [table, [...files].sort()]));
}

/**
 * Entity classes of another feature's tables imported as values in libs/domain: such an entity is a type
 * there (what the owner's service returns), never a way to its table. Kernels (common/, tenancy/) aside.
 */
function entityValueImports(entities, owners) {
  const featureOf = (file) => file.match(/^libs\/domain\/src\/([^/]+)\//)?.[1];
  const problems = [];
  for (const file of sourceFiles('libs/domain/src')) {
    const feature = featureOf(file);
    if (!feature || feature === 'common' || feature === 'tenancy') continue;
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const [, typeOnly, names] of text.matchAll(
      /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@luotsi\/database'/g,
    )) {
      if (typeOnly) continue;
      for (const name of names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
        const table = entities.get(name);
        if (!table || !owners[table] || featureOf(owners[table]) === feature) continue;
        problems.push(
          `${table} is owned by ${featureOf(owners[table])}, and ${file} imports its entity ${name} as a value: import it as a type`,
        );
      }
    }
  }
  return problems;
}

function readList() {
  const file = path.join(ROOT, LIST);
  const list = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return {
    owners: list.owners ?? {},
    notYetMoved: list.notYetMoved ?? {},
    knownViolations: list.knownViolations ?? [],
  };
}

function writeList(list) {
  const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const knownViolations = [...list.knownViolations].sort(
    (a, b) => a.table.localeCompare(b.table) || a.file.localeCompare(b.file),
  );
  writeFileSync(
    path.join(ROOT, LIST),
    `${JSON.stringify({ owners: sortKeys(list.owners), notYetMoved: sortKeys(list.notYetMoved), knownViolations }, null, 2)}\n`,
  );
}

/**
 * Checks the tables; returns { problems, stale, summary }. `problems` fail the check; `stale` are entries of
 * the list that no longer apply (they fail it too, until pruned).
 */
function inspect() {
  const tables = tablesOfMigrations();
  const entities = entityTables();
  const found = reaches(tables, entities);
  const list = readList();
  const problems = entityValueImports(entities, list.owners);
  const stale = { notYetMoved: [], knownViolations: [] };

  for (const table of tables) {
    const owner = list.owners[table];
    const planned = list.notYetMoved[table];
    if (!owner && !planned) {
      problems.push(`${table} has no owner: name its feature's store in ${LIST} (owners)`);
      continue;
    }
    if (owner && planned) stale.notYetMoved.push(table);
    if (!owner) continue;
    if (!existsSync(path.join(ROOT, owner))) problems.push(`${table}: its owner ${owner} does not exist`);
    for (const file of found.get(table)) {
      if (file === owner || file === relationsOf(owner)) continue;
      if (list.knownViolations.some((k) => k.table === table && k.file === file)) continue;
      problems.push(`${table} is reached in ${file}, outside its owner ${owner}`);
    }
  }
  for (const table of [...Object.keys(list.owners), ...Object.keys(list.notYetMoved)])
    if (!tables.includes(table)) problems.push(`${table} is listed in ${LIST} but no migration creates it`);
  for (const k of list.knownViolations)
    if (!list.owners[k.table] || !(found.get(k.table) ?? []).includes(k.file)) stale.knownViolations.push(k);

  const owned = tables.filter((t) => list.owners[t]).length;
  const summary = `${tables.length} tables, ${owned} owned by a store, ${tables.length - owned} not yet moved, ${
    list.knownViolations.length - stale.knownViolations.length
  } known violations in ${LIST}`;
  return { tables, found, list, problems, stale, summary };
}

/** The check as `npm run walls` runs it; `mode` is undefined, '--prune' or '--list'. Returns an exit code. */
function checkTableOwners(mode) {
  const { tables, found, list, problems, stale, summary } = inspect();
  if (mode === '--list') {
    for (const table of tables) {
      const owner = list.owners[table] ?? `not yet moved (${list.notYetMoved[table] ?? 'no owner'})`;
      console.log(`${table}  ←  ${owner}`);
      for (const file of found.get(table)) console.log(`    ${file}`);
    }
    return 0;
  }
  const staleCount = stale.notYetMoved.length + stale.knownViolations.length;
  if (mode === '--prune') {
    for (const table of stale.notYetMoved) delete list.notYetMoved[table];
    list.knownViolations = list.knownViolations.filter((k) => !stale.knownViolations.includes(k));
    writeList(list);
    console.log(`tables: removed ${staleCount} entries that no longer apply from ${LIST}`);
    return 0;
  }
  for (const problem of problems) console.error(`  error ${RULE}: ${problem}`);
  if (staleCount > 0) {
    console.error(
      `\ntables: ${staleCount} entries of ${LIST} no longer apply; remove them with \`npm run walls -- --prune\`:`,
    );
    for (const table of stale.notYetMoved)
      console.error(`  ${table} has an owner and is still listed as not yet moved`);
    for (const k of stale.knownViolations) console.error(`  ${k.table} is no longer reached in ${k.file}`);
  }
  if (problems.length > 0 || staleCount > 0) {
    console.error(`\nx tables: ${problems.length} problems, ${staleCount} stale entries (${summary})`);
    return 1;
  }
  console.log(`✔ tables: each owned table reached only by its store (${summary})`);
  return 0;
}

module.exports = { checkTableOwners, tablesOfMigrations, entityTables };

if (require.main === module) {
  const mode = process.argv[2];
  if (![undefined, '--list', '--prune'].includes(mode)) {
    console.error('usage: node scripts/table-owners.js [--list | --prune]');
    process.exitCode = 1;
  } else {
    process.chdir(ROOT);
    process.exitCode = checkTableOwners(mode);
  }
}
