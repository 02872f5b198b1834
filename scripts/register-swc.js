/**
 * A require hook that compiles TypeScript with swc (already a dev dependency for Jest), keeping
 * decorator metadata that Nest and TypeORM read. Used by the migration CLI and to run apps from source.
 */
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
// The @luotsi/* aliases of tsconfig.json, so apps can be run from source (tests spawn the worker so).
const paths = Object.fromEntries(
  ['config', 'database', 'domain', 'mail', 'queue', 'runtime', 'texts'].flatMap((lib) => [
    [`@luotsi/${lib}`, [`libs/${lib}/src/index.ts`]],
    [`@luotsi/${lib}/*`, [`libs/${lib}/src/*`]],
  ]),
);

require.extensions['.ts'] = function compile(module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
      baseUrl: root,
      paths,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
