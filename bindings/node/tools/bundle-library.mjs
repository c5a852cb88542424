#!/usr/bin/env node
/**
 * `npm pack`'s prepack step: puts the release build of the native library into
 * `native/libtrillet.so`, the file the installed package loads (it never looks in a checkout's
 * `target/`). Builds it first with `scripts/build-manylinux-lib` (a no-op when up to date): `cargo
 * zigbuild --release --lib --target x86_64-unknown-linux-gnu.2.17`, so the package runs on glibc
 * 2.17 and newer like the manylinux2014 wheel, whatever glibc the packing machine has (the script
 * installs cargo-zigbuild and ziglang from PyPI under $CARGO_TARGET_DIR the first time, and checks
 * the library's highest GLIBC_ symbol version). `TRILLET_BUNDLE_LIB=/path/libtrillet.so` bundles
 * that file instead, without building.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(PACKAGE, '..', '..');

let source = process.env.TRILLET_BUNDLE_LIB;
if (!source) {
  // The script logs to stderr and prints the library's path as its last line on stdout.
  const out = execFileSync(join(REPO, 'scripts', 'build-manylinux-lib'), [], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  source = out.trim().split('\n').pop();
  if (!source || !isAbsolute(source)) throw new Error(`scripts/build-manylinux-lib printed no library path: ${out}`);
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
