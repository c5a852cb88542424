/**
 * The generator's input, read in one place: the committed operations catalog
 * `bindings/operations.json` (its `operations`, `settings` and `models`; the format is
 * `docs/operations-json.md`), the one file the Python and Go generators read too. Nothing is
 * re-derived from `bindings/openapi.json`.
 *
 * Shape: `{ version, settings, operations, models, schemas }` where
 *  - `settings`: the catalog's settings rows (`key`, `kind`, `env`, `default`, `doc`, ...);
 *  - `operations`: `{ id, resource, action, method, path, pathParams, queryParams, body, response,
 *    summary, fileField, requestModel, responseModel, responseNullable }` in catalog order;
 *  - `models`: the catalog's `models` as they are (name -> `{ kind, description, ... }`);
 *  - `schemas`: each model as one JSON Schema (`$ref`s as `#/components/schemas/NAME`) for the
 *    TypeScript renderer: an object model's properties are its fields under their canonical names
 *    only (one property per field; the other spellings the API may send, `aliases`, are named in
 *    the field's description), a list model is its answer as sent: `T[] | ListEnvelope<T> | T | null`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bindings/` of the checkout this script is in. */
export const BINDINGS = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CATALOG = join(BINDINGS, 'operations.json');

const REF = '#/components/schemas/';

/** A field's description, with the other spellings the API may send named. */
function fieldDoc(field) {
  let doc = String(field.description || '').trim();
  const aliases = field.aliases || [];
  if (aliases.length) {
    const spellings = aliases.map((a) => `\`${a}\``).join(', ');
    doc = `${doc ? `${doc} ` : ''}(The API may also send it as ${spellings}; the result keeps the key as sent (README, "Types").)`;
  }
  return doc;
}

/** The JSON Schema of each model of the catalog (the shapes `render-types.mjs` reads). */
export function schemasFromModels(models) {
  const out = {};
  for (const [name, model] of Object.entries(models)) {
    let schema;
    if (model.kind === 'object') {
      const properties = {};
      for (const f of model.fields) {
        const prop = { ...(f.schema || {}) };
        const doc = fieldDoc(f);
        if (doc) prop.description = doc;
        else delete prop.description;
        properties[f.name] = prop;
      }
      schema = { type: 'object', properties, required: model.fields.filter((f) => f.required).map((f) => f.name) };
    } else if (model.kind === 'list') {
      // The answer as sent (what `client.call` resolves to): the typed methods return the items
      // (a `ListPage`), and the envelope type names only its own keys (`ListEnvelope`).
      const item = model.items;
      schema = {
        'x-ts': `${item}[] | ListEnvelope<${item}> | ${item} | null`,
        description: `The \`${model.items}\` list answer as the API sent it: a bare array, an envelope carrying the items under one of its keys, one object, or null. The typed methods return the items (\`ListPage<${item}>\`).`,
      };
      out[name] = schema;
      continue;
    } else if (model.kind === 'schema') {
      schema = { ...(model.schema || {}) };
    } else {
      throw new Error(`model ${name} has an unknown kind ${JSON.stringify(model.kind)}`);
    }
    if (model.description) schema.description = model.description;
    else delete schema.description;
    out[name] = schema;
  }
  return out;
}

/** Reads the catalog. */
export function readInputs(catalogPath = CATALOG) {
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8'));
  const models = catalog.models;
  if (!models || typeof models !== 'object') throw new Error(`${catalogPath} has no models`);
  const operations = catalog.operations.map((op) => {
    for (const key of ['request_model', 'response_model']) {
      if (op[key] !== null && op[key] !== undefined && !(op[key] in models)) {
        throw new Error(`${op.id}: ${key} ${JSON.stringify(op[key])} is not a model of the catalog`);
      }
    }
    return {
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
      requestModel: op.request_model ?? null,
      responseModel: op.response_model ?? null,
      responseNullable: !!op.response_nullable,
    };
  });
  return { version: catalog.version, settings: catalog.settings, operations, models, schemas: schemasFromModels(models) };
}
