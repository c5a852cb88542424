/**
 * JSON Schema -> TypeScript, for `types/models.gen.d.ts` and the signatures of
 * `types/operations.gen.d.ts`.
 *
 * The mapping: an object with properties -> an `interface` (keys in `required` are required, the
 * others optional; no index signature, so a misspelled key is a compile error); `$ref` -> the
 * model's name (`List_X` -> `XList`); `anyOf`/`oneOf` -> a union (string constants -> literal
 * types); `type: [T, "null"]` -> `T | null`; arrays -> `T[]`; an object without properties ->
 * `Record<string, unknown>`; `{"x-ts": "T"}` (the generator's own shapes) -> `T`; anything else ->
 * `unknown`.
 *
 * An object model's properties are its fields under their canonical wire names only
 * (`inputs.mjs`): one property per field, never a twin for another spelling.
 */
const REF = '#/components/schemas/';
const SCALARS = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean' };

/** The TypeScript name of a component schema. */
export function typeName(name) {
  return name.startsWith('List_') ? `${name.slice(5)}List` : name;
}

/** `phone_numbers.unbind` -> `PhoneNumbersUnbind`. */
export function pascal(text) {
  return text
    .split(/[._\-]/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

function union(parts) {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.join(' | ') || 'unknown';
}

export function propKey(key) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function docLine(text) {
  return String(text || '').split(/\s+/).join(' ').trim().replace(/\*\//g, '*\\/');
}

export class Renderer {
  constructor(schemas) {
    this.schemas = schemas;
    /** name -> schema of every interface to emit (inline objects found while rendering). */
    this.objects = new Map();
  }

  /** The type for `schema`; `context` names an inline object's interface. */
  type(schema, context) {
    if (!schema || typeof schema !== 'object' || Object.keys(schema).length === 0) return 'unknown';
    if (typeof schema['x-ts'] === 'string') return schema['x-ts'];
    if (schema.$ref) {
      return schema.$ref.startsWith(REF) ? typeName(schema.$ref.slice(REF.length)) : 'unknown';
    }
    if (typeof schema.const === 'string') return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
      return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    }
    for (const key of ['anyOf', 'oneOf']) {
      if (Array.isArray(schema[key])) {
        const parts = schema[key].map((b, i) =>
          this.type(b, context + (b && b.properties ? 'Envelope' : `Variant${i}`)),
        );
        return union(parts.map((p) => (p.includes(' | ') && !p.startsWith('"') ? `(${p})` : p)));
      }
    }
    let kinds = schema.type;
    if (kinds === undefined) return 'unknown';
    if (!Array.isArray(kinds)) kinds = [kinds];
    const parts = kinds.map((k) => {
      if (k === 'null') return 'null';
      if (SCALARS[k]) return SCALARS[k];
      if (k === 'array') {
        const item = this.type(schema.items, `${context}Item`);
        return /[ |]/.test(item) ? `Array<${item}>` : `${item}[]`;
      }
      if (k === 'object') {
        if (schema.properties && Object.keys(schema.properties).length) {
          if (!this.objects.has(context)) this.objects.set(context, schema);
          return context;
        }
        return 'Record<string, unknown>';
      }
      return 'unknown';
    });
    return union(parts);
  }

  /** The `interface` declaration of an object schema. */
  renderInterface(name, schema) {
    const props = schema.properties || {};
    const required = new Set(schema.required || []);
    const out = [];
    out.push(`/** ${docLine(schema.description) || `The \`${name}\` object.`} */`);
    out.push(`export interface ${name} {`);
    for (const [key, value] of Object.entries(props)) {
      const t = this.type(value, name + pascal(key));
      const doc = docLine(value && value.description);
      if (doc) out.push(`  /** ${doc} */`);
      out.push(`  ${propKey(key)}${required.has(key) ? '' : '?'}: ${t};`);
    }
    out.push('}');
    return out;
  }
}

/** The whole `models.gen.d.ts` text, with `extra(renderer)` run first to name inline objects. */
export function renderModels(schemas, extra, header) {
  const r = new Renderer(schemas);
  const aliases = [];
  for (const [name, schema] of Object.entries(schemas)) {
    const ts = typeName(name);
    if (schema && schema.properties && !schema.anyOf && !schema.oneOf) r.objects.set(ts, schema);
    else aliases.push([ts, schema]);
  }
  const aliasLines = [];
  for (const [ts, schema] of aliases) {
    const t = r.type(schema, ts);
    const doc = docLine(schema && schema.description);
    aliasLines.push('');
    if (doc) aliasLines.push(`/** ${doc} */`);
    aliasLines.push(`export type ${ts} = ${t};`);
  }
  const extraLines = extra ? extra(r) : [];
  const rendered = new Map();
  while (rendered.size < r.objects.size) {
    for (const [name, schema] of [...r.objects]) {
      if (!rendered.has(name)) rendered.set(name, r.renderInterface(name, schema));
    }
  }
  const out = [...header];
  for (const [, lines] of rendered) out.push('', ...lines);
  out.push(...aliasLines);
  out.push(...extraLines);
  return `${out.join('\n')}\n`;
}
