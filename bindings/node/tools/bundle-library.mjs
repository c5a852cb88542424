#!/usr/bin/env node
/**
 * `npm pack`'s prepack step: puts the release build of the native library into
 * `native/libtrillet.so`, the file the installed package loads (it never looks in a checkout's
 * `target/`). Builds it first with `cargo build --release --lib` (a no-op when up to date), under
 * $CARGO_TARGET_DIR (default: <repo>/target). `TRILLET_BUNDLE_LIB=/path/libtrillet.so` bundles
 * that file instead, without cargo.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(PACKAGE, '..', '..');

let source = process.env.TRILLET_BUNDLE_LIB;
if (!source) {
  execFileSync('cargo', ['build', '--quiet', '--release', '--lib'], { cwd: REPO, stdio: 'inherit' });
  let target = process.env.CARGO_TARGET_DIR || join(REPO, 'target');
  if (!isAbsolute(target)) target = join(REPO, target);
  source = join(target, 'release', 'libtrillet.so');
}
const head = readFileSync(source).subarray(0, 20);
// An ELF shared object for x86-64 (e_machine 62), little-endian, 64-bit.
if (head.toString('latin1', 1, 4) !== 'ELF' || head[4] !== 2 || head[5] !== 1 || head.readUInt16LE(18) !== 62) {
  throw new Error(`${source} is not an x86-64 ELF library`);
}
const dest = join(PACKAGE, 'native', 'libtrillet.so');
mkdirSync(dirname(dest), { recursive: true });
copyFileSync(source, dest);
console.error(`bundled ${source} (${statSync(dest).size} bytes) as native/libtrillet.so`);
