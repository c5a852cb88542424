'use strict';
/**
 * Loads the native trillet library with koffi and declares the C functions the main thread calls
 * (the ones that never block: client creation and closing, cancel tokens, the catalog, webhooks).
 * The blocking calls (`trillet_call_ex`, `trillet_request_ex`) run on the worker threads of
 * `pool.cjs` only, which declare them in `worker.cjs`.
 *
 * Which library: `TRILLET_LIB` when set, else `native/libtrillet.so` inside this package (the
 * release build `npm pack` puts there). Nothing else is searched: an installed package never looks
 * in a checkout's `target/`.
 */
const path = require('node:path');
const fs = require('node:fs');
const koffi = require('koffi');

/** Status codes of the C ABI (`TrilletStatus`). */
const STATUS = Object.freeze({
  OK: 0,
  INVALID_INPUT: 1,
  API: 2,
  TIMEOUT: 3,
  CONNECT: 4,
  IO: 5,
  DECODE: 6,
  PANIC: 7,
  CANCELLED: 8,
});

/** The error kind each non-zero status stands for. */
const STATUS_KINDS = Object.freeze({
  1: 'invalid_input',
  2: 'api',
  3: 'timeout',
  4: 'connect',
  5: 'io',
  6: 'decode',
  7: 'panic',
  8: 'cancelled',
});

/** The library bundled in the package. */
const BUNDLED = path.join(__dirname, '..', 'native', 'libtrillet.so');

/** The path of the library to load: `TRILLET_LIB`, else the bundled one. */
function libraryPath() {
  const explicit = process.env.TRILLET_LIB;
  if (explicit) return path.resolve(explicit);
  return BUNDLED;
}

let loaded = null;

/** The loaded library and its main-thread functions (loaded on first use). */
function native() {
  if (loaded) return loaded;
  const file = libraryPath();
  if (!fs.existsSync(file)) {
    throw new Error(
      `trillet: the native library ${file} is missing` +
        (process.env.TRILLET_LIB ? ' (TRILLET_LIB points there)' : ' (set TRILLET_LIB to a libtrillet.so)'),
    );
  }
  const lib = koffi.load(file);
  const f = (proto) => lib.func(proto);
  loaded = {
    path: file,
    lib,
    version: f('const char *trillet_version(void)'),
    stringFree: f('void trillet_string_free(void *s)'),
    operations: f('void *trillet_operations(void)'),
    clientNew: f('void *trillet_client_new(const char *config_json, _Out_ void **out_error)'),
    clientClose: f('void trillet_client_close(void *client)'),
    clientFree: f('void trillet_client_free(void *client)'),
    cancelNew: f('void *trillet_cancel_new(void)'),
    cancel: f('void trillet_cancel(void *token)'),
    cancelFree: f('void trillet_cancel_free(void *token)'),
    webhookSign: f('void *trillet_webhook_sign(const char *secret, const uint8_t *body, size_t body_len)'),
    webhookVerifyHeaders: f(
      'int trillet_webhook_verify_headers(const char *secrets, const char *headers, const uint8_t *body, size_t body_len, int64_t tolerance, _Out_ void **out_json)',
    ),
    webhookConstructEvent: f(
      'int trillet_webhook_construct_event(const char *secrets, const char *headers, const uint8_t *body, size_t body_len, int64_t tolerance, _Out_ void **out_json)',
    ),
    webhookSignHeaders: f(
      'int trillet_webhook_sign_headers(const char *secret, const char *scheme, const char *id, int64_t timestamp, const uint8_t *body, size_t body_len, _Out_ void **out_json)',
    ),
  };
  return loaded;
}

/** Reads a string the library returned and frees it (`null` for a NULL pointer). */
function takeString(ptr) {
  if (ptr === null || ptr === undefined) return null;
  const n = native();
  try {
    return koffi.decode.string(ptr);
  } finally {
    n.stringFree(ptr);
  }
}

/** The address of a native pointer as a Number (for the worker threads, which take `uintptr_t`). */
function addressOf(ptr) {
  return ptr === null ? 0 : Number(koffi.address(ptr));
}

/** The operations catalog of the loaded library, parsed. */
function operationsCatalog() {
  return JSON.parse(takeString(native().operations()));
}

module.exports = { STATUS, STATUS_KINDS, BUNDLED, libraryPath, native, takeString, addressOf, operationsCatalog, koffi };
