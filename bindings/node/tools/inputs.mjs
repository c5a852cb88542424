/**
 * The generator's input, read in one place: the committed contract files
 * (`bindings/operations.json`, `bindings/openapi.json`) turned into the one shape the renderers
 * use. When the catalog carries the request/response models itself, only this module changes.
 *
 * Shape: `{ version, settings, operations, schemas, shapes }` where
 *  - `settings`: the catalog's settings rows (`key`, `kind`, `env`, `default`, `doc`);
 *  - `operations`: `{ id, resource, action, method, path, pathParams, queryParams, body, response,
 *    summary, fileField }` in catalog order;
 *  - `schemas`: the named models (JSON Schema, `$ref`s as `#/components/schemas/NAME`);
 *  - `shapes[id]`: `{ body, result, query }` JSON Schemas of the JSON body, the 2xx answer and the
 *    query parameters (`{ name: schema }`), each `null` when absent.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bindings/` of the checkout this script is in. */
export const BINDINGS = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CATALOG = join(BINDINGS, 'operations.json');
export const OPENAPI = join(BINDINGS, 'openapi.json');

function okCodes(responses) {
  const wanted = ['200', '201', '202'].filter((c) => c in responses);
  return wanted.length ? wanted : Object.keys(responses).filter((c) => c.startsWith('2'));
}

/** Reads the contract files. */
export function readInputs(catalogPath = CATALOG, openapiPath = OPENAPI) {
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8'));
  const openapi = JSON.parse(readFileSync(openapiPath, 'utf8'));
  const shapes = {};
  for (const item of Object.values(openapi.paths)) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const content = (op.requestBody && op.requestBody.content) || {};
      const body = content['application/json'] ? content['application/json'].schema || {} : null;
      let result = null;
      const codes = okCodes(op.responses || {});
      if (codes.length) {
        const answer = op.responses[codes[0]].content || {};
        if (answer['application/json']) result = answer['application/json'].schema || {};
        else if (Object.keys(answer).some((ct) => ct.startsWith('text/'))) result = { type: 'string' };
      }
      const query = {};
      for (const p of op.parameters || []) if (p.in === 'query') query[p.name] = { ...(p.schema || {}), required: !!p.required, description: p.description };
      shapes[op.operationId] = { body, result, query: Object.keys(query).length ? query : null };
    }
  }
  return {
    version: catalog.version,
    settings: catalog.settings,
    operations: catalog.operations.map((op) => ({
      id: op.id,
      resource: op.resource,
      action: op.action,
      method: op.method,
      path: op.path,
      pathParams: op.path_params,
      queryParams: op.query_params,
      body: op.body,
      response: op.response,
      summary: op.summary,
      fileField: op.file_field,
    })),
    schemas: openapi.components.schemas,
    shapes,
  };
}
