'use strict';
/**
 * trillet: the Node.js client of the Trillet AI Platform API, on the native trillet core.
 *
 *   const { Client } = require('trillet');
 *   const client = new Client({ apiKey, workspaceId });
 *   const agent = await client.agents.get(agentId);
 */
const errors = require('./lib/errors.cjs');
const { Client } = require('./lib/client.cjs');
const { configurePool, poolStats } = require('./lib/pool.cjs');
const { native, takeString, operationsCatalog, libraryPath } = require('./lib/native.cjs');
const { OPERATIONS } = require('./lib/operations.gen.cjs');
const { SETTINGS } = require('./lib/settings.gen.cjs');
const webhooks = require('./lib/webhooks.cjs');

/** The version of the native library loaded (like `"0.1.0"`). */
function version() {
  return native().version();
}

/** The operations catalog of the loaded library (`trillet_operations()`), parsed. */
function operations() {
  return operationsCatalog();
}

/** The path of the native library this package loads (`TRILLET_LIB`, else the bundled one). */
function libraryFile() {
  return libraryPath();
}

module.exports = {
  Client,
  ...errors,
  webhooks,
  configurePool,
  poolStats,
  version,
  operations,
  libraryFile,
  OPERATIONS,
  SETTINGS,
};
// Not part of the API: strings freed by the caller.
Object.defineProperty(module.exports, '_takeString', { value: takeString, enumerable: false });
for (const name of ['errorClass', 'errorFromText', 'localError', 'invalidInput']) delete module.exports[name];
