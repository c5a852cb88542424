// The generated files match the operations catalog, and the types hold user code to them:
// `tsc --strict --noEmit` accepts correct use (and the README's "Types" example) and refuses a
// misspelled result key, a wrongly typed body field, another spelling of a field used as a
// property, and a missing or non-string path parameter, with the compiler's own error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE, trillet } from './helpers.mjs';

const TYPECHECK = join(PACKAGE, 'test', 'typecheck');
const TSC = join(PACKAGE, 'node_modules', 'typescript', 'bin', 'tsc');

test('the committed generated files are up to date (tools/generate.mjs --check)', () => {
  const out = execFileSync(process.execPath, [join(PACKAGE, 'tools', 'generate.mjs'), '--check'], { encoding: 'utf8' });
  assert.match(out, /operations\.gen\.cjs is up to date/);
});

test('the generated table is the library\'s catalog', () => {
  const catalog = trillet.operations();
  assert.deepEqual(
    Object.entries(trillet.OPERATIONS).map(([id, op]) => [id, op.method, op.path, [...op.pathParams]]),
    catalog.operations.map((op) => [op.id, op.method, op.path, op.path_params]),
  );
  assert.deepEqual(trillet.SETTINGS.map((s) => s.key), catalog.settings.map((s) => s.key));
  const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
  assert.equal(pkg.version, catalog.version, 'package.json\'s version is the library\'s');
});

test('each model is one interface with one property per field, under its canonical name only', () => {
  const { models } = JSON.parse(readFileSync(join(PACKAGE, '..', 'operations.json'), 'utf8'));
  const text = readFileSync(join(PACKAGE, 'types', 'models.gen.d.ts'), 'utf8');
  let aliased = 0;
  for (const [name, model] of Object.entries(models)) {
    if (model.kind !== 'object') continue;
    const block = text.match(new RegExp(`^export interface ${name} \\{\\n([\\s\\S]*?)^\\}`, 'm'));
    assert.ok(block, `interface ${name} is generated`);
    const keys = [...block[1].matchAll(/^ {2}("[^"]+"|[A-Za-z_$][\w$]*)\??: /gm)].map((m) => m[1].replace(/^"|"$/g, ''));
    assert.deepEqual(keys, model.fields.map((f) => f.name), `${name}: its fields, canonical names only`);
    for (const f of model.fields) {
      const required = new RegExp(`^ {2}${f.name.replace(/\$/g, '\\$')}: `, 'm').test(block[1]);
      assert.equal(required, !!f.required, `${name}.${f.name} is required exactly when the model says so`);
      if (f.aliases.length) aliased += 1;
      for (const alias of f.aliases) assert.ok(block[1].includes(`\`${alias}\``), `${name}.${f.name}'s comment names ${alias}`);
    }
  }
  assert.ok(aliased >= 10, `fields with other spellings were checked (${aliased})`);
});

test('the generated files come from bindings/operations.json alone (a copy in an empty directory)', async () => {
  const { readInputs } = await import(join(PACKAGE, 'tools', 'inputs.mjs'));
  const { outputs } = await import(join(PACKAGE, 'tools', 'generate.mjs'));
  const dir = mkdtempSync(join(tmpdir(), 'trillet-catalog-'));
  try {
    const catalog = join(dir, 'operations.json');
    copyFileSync(join(PACKAGE, '..', 'operations.json'), catalog);
    const files = outputs(readInputs(catalog));
    assert.equal(Object.keys(files).length, 4);
    for (const [file, text] of Object.entries(files)) assert.equal(text, readFileSync(file, 'utf8'), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function tsc(file, source) {
  const dir = mkdtempSync(join(TYPECHECK, '.case-'));
  try {
    if (source !== undefined) writeFileSync(join(dir, file), source);
    const files = [source !== undefined ? file : `../${file}`];
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { strict: true, noEmit: true, paths: { trillet: ['../../../index.d.ts'] } }, files }));
    const r = spawnSync(process.execPath, [TSC, '--strict', '--noEmit', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('tsc --strict --noEmit: correct use passes', () => {
  const r = tsc('good.ts');
  assert.equal(r.status, 0, r.out);
});

test('tsc --strict --noEmit: a misspelled result key fails', () => {
  const r = tsc('bad-key.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-key\.ts\(7,\d+\): error TS2339: Property 'nmae' does not exist on type 'Agent'/);
});

test('tsc --strict --noEmit: a list\'s items are typed (a misspelled key on one fails)', () => {
  const r = tsc('bad-list.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-list\.ts\(7,\d+\): error TS2339: Property 'nmae' does not exist on type 'Agent'/);
});

test('the list envelope type names only its own keys', () => {
  const models = readFileSync(join(PACKAGE, 'types', 'models.gen.d.ts'), 'utf8');
  assert.doesNotMatch(models, /ListEnvelope \{/, 'no per-model envelope interface');
  const envelope = models.slice(models.indexOf('export interface ListEnvelope<T>'));
  const body = envelope.slice(0, envelope.indexOf('\n}'));
  for (const key of ['agents', 'folders', 'voices', 'calls', 'data']) assert.doesNotMatch(body, new RegExp(`^\\s+${key}\\??:`, 'm'));
});

test('tsc --strict --noEmit: a wrongly typed body field fails', () => {
  const r = tsc('bad-body.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-body\.ts\(6,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
});

test('tsc --strict --noEmit: another spelling of a field is not a property of the type', () => {
  const r = tsc('bad-twin.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-twin\.ts\(8,\d+\): error TS2339: Property 'agentId' does not exist on type 'Agent'/);
});

test('tsc --strict --noEmit: path parameters are required strings', () => {
  const r = tsc('bad-path.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-path\.ts\(6,\d+\): error TS2554: Expected 1-2 arguments, but got 0/);
  assert.match(r.out, /bad-path\.ts\(7,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/);
});

test('tsc --strict --noEmit: the README\'s "Types" example compiles', () => {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const block = readme.match(/^## Types\n[\s\S]*?^```ts\n([\s\S]*?)^```/m);
  assert.ok(block, 'the README has a "Types" section with a ts block');
  const lines = block[1].split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  const r = tsc('readme.ts', `${imports.join('\n')}\nexport async function main(): Promise<void> {\n${body.join('\n')}\n}\n`);
  assert.equal(r.status, 0, r.out);
});
