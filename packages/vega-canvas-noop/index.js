'use strict';
// vega-canvas awaits an optional import of `canvas` at top level, which CommonJS cannot require.
// Luotsi renders charts to SVG only, so no canvas is ever needed.
exports.canvas = () => null;
exports.image = () => null;
