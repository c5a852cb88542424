// The generated files match the contract files, and the types hold user code to them:
// `tsc --strict --noEmit` accepts correct use and refuses a misspelled result key and a wrongly
// typed body field, with the compiler's own error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
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

function tsc(file) {
  const dir = mkdtempSync(join(TYPECHECK, '.case-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { strict: true, noEmit: true, paths: { trillet: ['../../../index.d.ts'] } }, files: [`../${file}`] }));
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

test('tsc --strict --noEmit: a wrongly typed body field fails', () => {
  const r = tsc('bad-body.ts');
  assert.notEqual(r.status, 0);
  assert.match(r.out, /bad-body\.ts\(6,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
});
