/**
 * vega-lite declares its types only through package "exports", which the repository's `node10` module
 * resolution does not read; this points the bare specifier at them.
 */
declare module 'vega-lite' {
  export * from 'vega-lite/build/index';
}
