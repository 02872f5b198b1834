// The walls between apps, libraries and the domain's features (docs/architecture.md, "Walls").
//
//   node scripts/walls.js               fails on a violation that is not in the baseline, and on a baseline
//                                       entry that no longer occurs (remove it: the baseline only shrinks)
//   node scripts/walls.js --prune       removes the baseline's entries that no longer occur
//   node scripts/walls.js --rebaseline  rewrites the baseline from the tree (when files with known violations
//                                       moved); refused if any rule would end up with more known violations
//                                       (without a baseline file, it writes the first one)
//
// The rules are dependency-cruiser's, in .dependency-cruiser.cjs, plus one checked here: no-feature-cycle,
// no cycle between the features of libs/domain/src, on the graph of features rather than of files (a feature
// cycle rarely shows as a cycle of files). The baseline is dependency-cruiser's known-violations format, so
// `npx depcruise apps libs --ignore-known` reads it too.
//
// Then the tables (scripts/table-owners.js): an owned table is reached only by its owner's store, with its
// own list, .table-owners.json, which only shrinks as well; `--prune` prunes both lists.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { checkTableOwners } = require('./table-owners');

const ROOT = path.resolve(__dirname, '..');
const CONFIG = '.dependency-cruiser.cjs';
const BASELINE = '.dependency-cruiser-known-violations.json';
const SCANNED = ['apps', 'libs'];
const FEATURE_CYCLE = {
  name: 'no-feature-cycle',
  comment:
    'Features of libs/domain/src do not depend on each other in a cycle (common/ and tenancy/ are not features).',
};

/** A feature's published relations: `libs/domain/src/<feature>/relations.ts`. */
const RELATIONS = /^libs\/domain\/src\/[^/]+\/relations\.ts$/;

const MODES = [undefined, '--prune', '--rebaseline'];

async function main(mode) {
  if (!MODES.includes(mode)) throw new Error(`usage: node scripts/walls.js [--prune | --rebaseline]`);
  process.chdir(ROOT);
  const config = require(path.join(ROOT, CONFIG));
  const first = !existsSync(path.join(ROOT, BASELINE));
  const known = first ? [] : JSON.parse(readFileSync(path.join(ROOT, BASELINE), 'utf8'));
  const { modules, summary, ruleSet } = await cruise();

  const current = [
    ...summary.violations.map((v) => ({ ...v, rule: { name: v.rule.name, severity: 'error' } })),
    ...featureCycles(modules, featureOf(config)),
  ];
  const isKnown = (v) => known.some((k) => sameViolation(k, v));
  const fresh = current.filter((v) => !isKnown(v));
  const stale = known.filter((k) => !current.some((v) => sameViolation(k, v)));

  if (mode === '--prune') {
    writeBaseline(known.filter((k) => !stale.includes(k)));
    console.log(`walls: removed ${stale.length} entries that no longer occur from ${BASELINE}`);
    return 0;
  }
  if (mode === '--rebaseline') {
    const grown = first ? [] : rules(current).filter((name) => count(current, name) > count(known, name));
    if (grown.length > 0) {
      for (const name of grown)
        console.error(
          `walls: ${name} would have ${count(current, name)} known violations, not ${count(known, name)}`,
        );
      console.error('walls: the baseline only shrinks; fix the new violations instead.');
      return 1;
    }
    writeBaseline(current);
    console.log(`walls: ${BASELINE} rewritten with ${current.length} known violations`);
    return 0;
  }

  const comments = new Map([...ruleSet.forbidden, FEATURE_CYCLE].map((r) => [r.name, r.comment]));
  for (const v of fresh) {
    console.error(`  error ${v.rule.name}: ${v.from} → ${v.to}${v.detail ? ` (${v.detail})` : ''}`);
    console.error(`      ${comments.get(v.rule.name)}`);
  }
  if (stale.length > 0) {
    console.error(
      `\nwalls: ${stale.length} known violations no longer occur; remove them with \`npm run walls -- --prune\`:`,
    );
    for (const k of stale) console.error(`  ${k.rule.name}: ${k.from} → ${k.to}`);
  }
  const tally = `${summary.totalCruised} modules, ${summary.totalDependenciesCruised} dependencies`;
  const knownNote = `${known.length - stale.length} known violations in ${BASELINE}`;
  if (fresh.length > 0 || stale.length > 0) {
    console.error(
      `\nx walls: ${fresh.length} new violations, ${stale.length} stale baseline entries (${tally}; ${knownNote})`,
    );
    return 1;
  }
  console.log(`✔ walls: no new violations (${tally}; ${knownNote})`);
  return 0;
}

async function cruise() {
  const { cruise: run } = await import('dependency-cruiser');
  const { default: extractOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const options = await extractOptions(`./${CONFIG}`);
  const result = await run(
    SCANNED,
    { ...options, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(options.tsConfig.fileName) },
  );
  const output = JSON.parse(result.output);
  return { ...output, ruleSet: options.ruleSet };
}

/** A module's feature folder (`libs/domain/src/<feature>`), or undefined; from the feature-through-index rule. */
function featureOf(config) {
  const { from } = config.forbidden.find((r) => r.name === 'feature-through-index');
  const inside = new RegExp(from.path);
  const outside = new RegExp(from.pathNot);
  return (source) =>
    inside.test(source) && !outside.test(source) ? source.match(inside)[0].slice(0, -1) : undefined;
}

/**
 * One violation per dependency between two features that lie on a common cycle (the same strongly connected
 * component of the feature graph), with the cycle and one import that makes the dependency.
 */
function featureCycles(modules, featureOf) {
  const edges = new Map(); // feature → (feature → an import that makes the dependency)
  for (const m of modules) {
    const from = featureOf(m.source);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = featureOf(d.resolved);
      // Another feature's relations (constant sub-selects, leaves by rule) make no dependency on it.
      if (!to || to === from || RELATIONS.test(d.resolved)) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${m.source} → ${d.resolved}`);
    }
  }
  const component = components(edges);
  const violations = [];
  for (const [from, targets] of edges) {
    for (const [to, example] of targets) {
      if (component.get(from) !== component.get(to)) continue;
      const back = shortestPath(edges, to, from);
      const name = (f) => f.replace(/^.*\//, '');
      violations.push({
        type: 'cycle',
        from,
        to,
        rule: { name: FEATURE_CYCLE.name, severity: 'error' },
        detail: `${[from, ...back].map(name).join(' → ')}; e.g. ${example}`,
      });
    }
  }
  return violations;
}

/** Tarjan's strongly connected components: feature → component number. */
function components(edges) {
  const index = new Map();
  const low = new Map();
  const component = new Map();
  const stack = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (!component.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      let w;
      do {
        w = stack.pop();
        component.set(w, v);
      } while (w !== v);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return component;
}

function shortestPath(edges, start, goal) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    if (v === goal) break;
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  const route = [];
  for (let v = goal; v !== null; v = previous.get(v)) route.unshift(v);
  return route;
}

function sameViolation(a, b) {
  return a.rule.name === b.rule.name && a.from === b.from && a.to === b.to;
}

const rules = (violations) => [...new Set(violations.map((v) => v.rule.name))];
const count = (violations, name) => violations.filter((v) => v.rule.name === name).length;

/** Sorted, one entry per violation, in dependency-cruiser's known-violations format. */
function writeBaseline(violations) {
  const entries = violations
    .map(({ type, from, to, rule }) => ({
      type,
      from,
      to,
      rule: { severity: rule.severity, name: rule.name },
    }))
    .sort(
      (a, b) =>
        a.rule.name.localeCompare(b.rule.name) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    );
  writeFileSync(path.join(ROOT, BASELINE), `${JSON.stringify(entries, null, 2)}\n`);
}

async function walls(mode) {
  const imports = await main(mode);
  if (mode === '--rebaseline') return imports;
  process.chdir(ROOT);
  const tables = checkTableOwners(mode);
  return imports || tables;
}

walls(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
