'use strict';
/**
 * One thread of the call pool (`pool.cjs`): it makes the blocking C calls (`trillet_call_ex`,
 * `trillet_request_ex`) one at a time, so the main thread's event loop and libuv's own thread
 * pool are never held by a request waiting on the network.
 *
 * A message is `{id, kind: "call"|"request", client, cancel, op | method+path, request}` where
 * `client` and `cancel` are the addresses of the main thread's handles (the C ABI is thread-safe);
 * the answer is `{id, status, json, meta}` with the strings the library returned, already freed.
 */
const { parentPort, workerData } = require('node:worker_threads');
const koffi = require('koffi');

const lib = koffi.load(workerData.library);
const callEx = lib.func(
  'int trillet_call_ex(uintptr_t client, const char *operation, const char *request_json, uintptr_t cancel, _Out_ void **out_json, _Out_ void **out_meta)',
);
const requestEx = lib.func(
  'int trillet_request_ex(uintptr_t client, const char *method, const char *path, const char *request_json, uintptr_t cancel, _Out_ void **out_json, _Out_ void **out_meta)',
);
const stringFree = lib.func('void trillet_string_free(void *s)');

function take(ptr) {
  if (ptr === null || ptr === undefined) return null;
  try {
    return koffi.decode.string(ptr);
  } finally {
    stringFree(ptr);
  }
}

parentPort.on('message', (m) => {
  const out = [null];
  const meta = [null];
  let status;
  if (m.kind === 'call') {
    status = callEx(m.client, m.op, m.request, m.cancel, out, meta);
  } else {
    status = requestEx(m.client, m.method, m.path, m.request, m.cancel, out, meta);
  }
  parentPort.postMessage({ id: m.id, status, json: take(out[0]), meta: take(meta[0]) });
});
