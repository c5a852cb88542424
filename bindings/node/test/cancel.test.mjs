// Cancellation through AbortSignal, proven from the server side: a raw node:net server that never
// answers sees its connection closed after the abort, the promise rejects with an AbortError only
// once the core call has ended, and no thread of the pool is left busy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, trillet, rawServer, waitFor, AGENT_BODY } from './helpers.mjs';

const env = useSandbox();

function rawClient(url, options = {}) {
  return env.client({ baseUrl: url, timeout: 60_000, ...options });
}

test('abort during a never-answering call: rejected quickly with maybe_sent, the server sees the close', async () => {
  const server = await rawServer(null);
  try {
    const client = rawClient(server.url);
    const controller = new AbortController();
    const pending = client.agents.get('a1', { signal: controller.signal });
    assert.ok(await waitFor(() => server.requests === 1), 'the request reached the server');
    assert.equal(server.closed, 0);
    const reason = new Error('user gave up');
    const started = performance.now();
    controller.abort(reason);
    const err = await pending.catch((e) => e);
    const took = performance.now() - started;
    assert.equal(err.name, 'AbortError');
    assert.ok(err instanceof trillet.AbortError && err instanceof trillet.RequestCancelledError && err instanceof trillet.TrilletError);
    assert.equal(err.kind, 'cancelled');
    assert.equal(err.code, 'maybe_sent');
    assert.equal(err.maybeSent, true);
    assert.equal(err.cause, reason);
    assert.ok(took < 5_000, `the abort took ${took} ms`);
    assert.ok(await waitFor(() => server.closed === 1), 'the server saw the connection closed');
    // The call ended before the promise settled: no pool thread is still busy with it.
    assert.equal(trillet.poolStats().busy, 0);
    assert.equal(server.requests, 1, 'a cancelled call is never retried');
  } finally {
    await server.close();
  }
});

test('an abort before the call starts rejects with not_sent and sends nothing', async () => {
  await env.sandbox.reset();
  const client = env.client();
  const err = await client.agents.create(AGENT_BODY, { signal: AbortSignal.abort() }).catch((e) => e);
  assert.equal(err.name, 'AbortError');
  assert.equal(err.code, 'not_sent');
  assert.equal((await env.sandbox.requests()).length, 0);
});

test('an abort that loses the race leaves the real result, and a late abort touches nothing', async () => {
  await env.sandbox.reset();
  const client = env.client();
  const controller = new AbortController();
  const agent = await client.agents.create(AGENT_BODY, { signal: controller.signal });
  controller.abort();
  assert.equal(agent.name, AGENT_BODY.name);
  assert.equal((await client.agents.get(agent._id)).name, AGENT_BODY.name);
});

test('many aborted calls leave no thread stuck: the pool serves the next calls at once', async () => {
  const server = await rawServer(null);
  try {
    const client = rawClient(server.url);
    const controllers = Array.from({ length: 10 }, () => new AbortController());
    const pending = controllers.map((c) => client.agents.get('x', { signal: c.signal }).catch((e) => e));
    assert.ok(await waitFor(() => server.requests === 10), `requests seen: ${server.requests}`);
    for (const c of controllers) c.abort();
    const errors = await Promise.all(pending);
    assert.ok(errors.every((e) => e.name === 'AbortError' && e.code === 'maybe_sent'));
    assert.ok(await waitFor(() => server.closed === 10), `closed: ${server.closed}`);
    assert.equal(trillet.poolStats().busy, 0);
    await env.sandbox.reset();
    const sandboxClient = env.client();
    const agents = await Promise.all(Array.from({ length: 10 }, () => sandboxClient.agents.list()));
    assert.equal(agents.length, 10);
  } finally {
    await server.close();
  }
});

test('close() ends the calls in flight with RequestCancelledError, and later calls at once', async () => {
  const server = await rawServer(null);
  try {
    const client = new trillet.Client({ apiKey: 'k', workspaceId: 'w', baseUrl: server.url, maxRetries: 0, ignoreEnv: true });
    const pending = client.agents.get('x').catch((e) => e);
    assert.ok(await waitFor(() => server.requests === 1));
    await client.close();
    const err = await pending;
    assert.ok(err instanceof trillet.RequestCancelledError, err.name);
    assert.notEqual(err.name, 'AbortError');
    assert.equal(err.code, 'maybe_sent');
    assert.ok(await waitFor(() => server.closed === 1));
    const later = await client.agents.get('x').catch((e) => e);
    assert.ok(later instanceof trillet.RequestCancelledError);
    assert.equal(later.code, 'not_sent');
    assert.equal(server.requests, 1);
    assert.equal(client.closed, true);
  } finally {
    await server.close();
  }
});

test('Symbol.asyncDispose closes the client (what `await using` calls)', async () => {
  await env.sandbox.reset();
  const client = new trillet.Client({ apiKey: 'sk_test_trillet_sandbox', workspaceId: '64a1b2c3d4e5f6a7b8c9d0e1', baseUrl: env.sandbox.url, ignoreEnv: true });
  assert.deepEqual(await client.agents.list(), []);
  assert.equal(typeof client[Symbol.asyncDispose], 'function');
  await client[Symbol.asyncDispose]();
  assert.equal(client.closed, true);
  await assert.rejects(client.agents.list(), (e) => e instanceof trillet.RequestCancelledError && e.code === 'not_sent');
});
