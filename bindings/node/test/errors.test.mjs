// Errors by class (kind, and HTTP status family for API errors), their fields, and the response
// metadata of successes and failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, trillet, AGENT_BODY, UNKNOWN_ID } from './helpers.mjs';

const env = useSandbox();

async function fresh(options) {
  await env.sandbox.reset();
  return env.client(options);
}

function status(code, extra = {}) {
  return { type: 'status', status: code, body: { error: { code: `code_${code}`, message: `status ${code}` } }, ...extra };
}

test('API errors: one class per status family, all instanceof TrilletError and APIError', async () => {
  const client = await fresh();
  const cases = [
    [400, trillet.BadRequestError],
    [401, trillet.AuthenticationError],
    [403, trillet.PermissionDeniedError],
    [404, trillet.NotFoundError],
    [409, trillet.ConflictError],
    [422, trillet.UnprocessableEntityError],
    [429, trillet.RateLimitError],
    [500, trillet.InternalServerError],
    [503, trillet.InternalServerError],
    [418, trillet.APIError],
  ];
  for (const [code, Cls] of cases) {
    await env.sandbox.fault('agents.list', status(code));
    const err = await client.agents.list().then(
      () => assert.fail('resolved'),
      (e) => e,
    );
    assert.ok(err instanceof Cls, `${code}: ${err.name}`);
    assert.ok(err instanceof trillet.APIError && err instanceof trillet.TrilletError && err instanceof Error);
    assert.equal(err.name, Cls.name);
    assert.equal(err.kind, 'api');
    assert.equal(err.status, code);
    assert.equal(err.code, `code_${code}`);
    assert.equal(err.message, `status ${code}`);
    assert.match(err.requestId, /^req_/);
    assert.deepEqual(err.body, { error: { code: `code_${code}`, message: `status ${code}` } });
    assert.equal(err.meta.status, code);
    assert.equal(err.meta.attempts, 1);
  }
  assert.equal((await env.sandbox.requests('agents.list')).length, cases.length);
});

test('a 404 from the API itself, with its request id; a 429 carries retryAfter', async () => {
  const client = await fresh();
  const err = await client.agents.get(UNKNOWN_ID).catch((e) => e);
  assert.ok(err instanceof trillet.NotFoundError);
  assert.equal(err.code, 'not_found');
  assert.match(String(err), /^NotFoundError: api 404 \(not_found\): .* \[request req_/);
  await env.sandbox.fault('agents.list', status(429, { headers: { 'Retry-After': '7' } }));
  const limited = await client.agents.list().catch((e) => e);
  assert.ok(limited instanceof trillet.RateLimitError);
  assert.equal(limited.retryAfter, 7);
});

test('a wrong API key is an AuthenticationError, and the key appears nowhere in it', async () => {
  const client = await fresh({ apiKey: 'sk_wrong_key_12345' });
  const err = await client.agents.list().catch((e) => e);
  assert.ok(err instanceof trillet.AuthenticationError);
  assert.ok(!JSON.stringify({ ...err, message: err.message, s: String(err), stack: err.stack }).includes('sk_wrong_key_12345'));
});

test('non-API kinds: timeout, connect, decode, invalid input', async () => {
  const client = await fresh();
  await env.sandbox.fault('agents.list', { type: 'delay', ms: 3000 });
  const timedOut = await client.agents.list({ timeout: 200 }).catch((e) => e);
  assert.ok(timedOut instanceof trillet.APITimeoutError, timedOut.name);
  assert.equal(timedOut.kind, 'timeout');

  const nobody = env.client({ baseUrl: 'http://127.0.0.1:9' });
  const refused = await nobody.agents.list().catch((e) => e);
  assert.ok(refused instanceof trillet.APIConnectionError, refused.name);
  assert.equal(refused.kind, 'connect');

  await env.sandbox.fault('agents.list', { type: 'malformed_json' });
  const garbled = await client.agents.list().catch((e) => e);
  assert.ok(garbled instanceof trillet.DecodeError, garbled.name);

  const missing = await client.agents.get(undefined).catch((e) => e);
  assert.ok(missing instanceof trillet.InvalidInputError);
  assert.equal(missing.code, 'missing_path_param');
  const unknown = await client.call('agents.fly').catch((e) => e);
  assert.ok(unknown instanceof trillet.InvalidInputError);
  assert.equal(unknown.code, 'unknown_operation');
  assert.equal(unknown.meta.attempts, 0);
  // A body that is not JSON-serialisable never reaches the library.
  const cyclic = {};
  cyclic.self = cyclic;
  const bad = await client.agents.create(cyclic).catch((e) => e);
  assert.ok(bad instanceof trillet.InvalidInputError);
  assert.equal(bad.code, 'invalid_json');
  assert.equal((await env.sandbox.requests('agents.create')).length, 0);
});

test('response metadata: status, request id, attempts (retries counted), elapsed', async () => {
  const client = await fresh({ maxRetries: 2 });
  const created = await client.withRawResponse.agents.create(AGENT_BODY);
  assert.equal(created.data.name, AGENT_BODY.name);
  assert.ok([200, 201].includes(created.meta.status), String(created.meta.status));
  assert.match(created.meta.requestId, /^req_/);
  assert.equal(created.meta.attempts, 1);
  assert.equal(typeof created.meta.elapsedMs, 'number');
  await env.sandbox.fault('agents.get', { type: 'status', status: 503, body: { error: { code: 'busy' } }, headers: { 'Retry-After': '0' } });
  const retried = await client.withRawResponse.agents.get(created.data._id);
  assert.equal(retried.meta.attempts, 2);
  assert.equal(retried.meta.status, 200);
  const log = await env.sandbox.requests('agents.get');
  assert.equal(log.length, 2);
  const viaCall = await client.withRawResponse.call('agents.get', { path: { agentId: created.data._id } });
  assert.equal(viaCall.data._id, created.data._id);
});
