// Nest 12 packages are ESM-only: swc transforms them too, so Jest's CommonJS runtime can load them.
const esmAllowList = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'load-esm',
  '@apidevtools/json-schema-ref-parser',
  // vega and vega-lite (server-side SVG charts) and what they bring along are ESM-only as well.
  'vega[^/]*',
  'd3-[^/]*',
  'internmap',
  'delaunator',
  'robust-predicates',
  'json-stringify-pretty-compact',
  // otplib (the second factor) brings audited ESM-only crypto and base32.
  '@noble',
  '@scure',
  '@otplib',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@luotsi/(config|database|domain|mail|queue|runtime|texts)$': '<rootDir>/libs/$1/src',
  '^@luotsi/(config|database|domain|mail|queue|runtime|texts)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmAllowList.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper,
};

module.exports = {
  // End-to-end tests boot apps and processes against real servers.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
