// The walls between the apps, the libraries and the domain's features, checked by `npm run walls`
// (scripts/walls.js, part of `npm test` and so of `npm run check`). Violations that exist today are listed in
// .dependency-cruiser-known-violations.json; anything else fails. See docs/architecture.md, "Walls".
// One more rule lives in scripts/walls.js, which reads FEATURE from here: no-feature-cycle, on the graph
// of features rather than of files.

/** A feature folder of libs/domain/src: every folder but the kernels ($1 in `to` is the importing feature). */
const FEATURE = { path: '^libs/domain/src/([^/]+)/', pathNot: '^libs/domain/src/(common|tenancy)/' };
/** Shared kernels of libs/domain/src: every feature may import them freely. */
const KERNELS = '^libs/domain/src/(common|tenancy)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-not-apps',
      comment: 'Libraries are shared by the apps; they never import one.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'api-and-worker-apart',
      comment:
        'The API enqueues jobs and the worker consumes them: neither imports the other ' +
        '(apps/demo, which runs both, may import either).',
      severity: 'error',
      from: { path: '^apps/(api|worker)/' },
      to: { path: '^apps/(api|worker)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'mail-not-database',
      comment: 'The mail library renders and sends; it knows neither the entities nor TypeORM.',
      severity: 'error',
      from: { path: '^libs/mail/' },
      to: { path: ['^libs/database/', 'node_modules/(@nestjs/)?typeorm/'] },
    },
    {
      name: 'domain-not-http',
      comment: 'Domain services know nothing of HTTP: no express, platform-express or supertest types.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        path: 'node_modules/(@types/)?(express|express-serve-static-core|supertest)/|node_modules/@nestjs/platform-express/',
      },
    },
    {
      name: 'domain-not-queue-consumer',
      comment:
        'The domain produces jobs through @luotsi/queue only; consuming them (processors, WorkerHost, ' +
        "BullMQ's Worker and Job) belongs to apps/worker. So neither @nestjs/bullmq nor bullmq itself.",
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: 'node_modules/(@nestjs/bullmq|bullmq)/' },
    },
    {
      name: 'feature-through-index',
      comment:
        "A feature of libs/domain/src imports another feature only through that feature's index.ts, or its " +
        'relations.ts for set-based SQL ' +
        '(common/ and tenancy/ are shared kernels, importable anywhere).',
      severity: 'error',
      from: FEATURE,
      // The lib's own barrel and module (libs/domain/src/*.ts) are not a feature's way in either.
      to: {
        path: '^libs/domain/src/',
        pathNot: ['^libs/domain/src/$1/', KERNELS, '^libs/domain/src/[^/]+/(index|relations)\\.ts$'],
      },
    },
    {
      name: 'relations-are-leaves',
      comment:
        "A feature's relations.ts holds constant sub-selects of its tables and imports nothing but common/sql, " +
        'so reading them never pulls a feature in.',
      severity: 'error',
      from: { path: '^libs/domain/src/[^/]+/relations\\.ts$' },
      to: { pathNot: '^libs/domain/src/common/sql\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: an `import type { Request } from 'express'` is still an HTTP type.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // ESM-only packages (csv-parse/sync, vega-lite) resolve through their `exports` only.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
