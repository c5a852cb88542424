// What the core refuses before anything is sent, seen from Node: a client without an API key
// (refused by `new Client()`), a body field the spec requires (`missing_field`) and a phone number
// that is not E.164 (`invalid_number`). The sandbox's request log is the proof that nothing was
// sent; the escape hatch (`client.request`) is not checked, so the same body reaches the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, trillet, API_KEY, AGENT_BODY, UNKNOWN_ID, WORKSPACE_ID } from './helpers.mjs';

const env = useSandbox();

async function fresh() {
  await env.sandbox.reset();
  return env.client();
}

function assertRefused(err, code, ...words) {
  assert.ok(err instanceof trillet.InvalidInputError, String(err));
  assert.equal(err.kind, 'invalid_input');
  assert.equal(err.code, code);
  for (const w of words) assert.ok(err.message.includes(w), `${JSON.stringify(err.message)} lacks ${JSON.stringify(w)}`);
}

test('new Client() without an API key throws missing_api_key, naming apiKey', () => {
  const saved = process.env.TRILLET_API_KEY;
  delete process.env.TRILLET_API_KEY;
  try {
    for (const options of [{ ignoreEnv: true }, {}, undefined, { apiKey: '' }, { workspaceId: WORKSPACE_ID, baseUrl: env.sandbox.url }]) {
      let err;
      try {
        new trillet.Client(options).close();
      } catch (e) {
        err = e;
      }
      assert.ok(err, `a client was made from ${JSON.stringify(options)}`);
      assertRefused(err, 'missing_api_key');
      // Named as a Node user passes it, not as the C config spells it.
      assert.equal(err.message, 'no API key: pass apiKey to new Client() or set TRILLET_API_KEY');
      assert.ok(!err.message.includes('api_key'));
    }
    // The environment's key is read unless ignoreEnv.
    process.env.TRILLET_API_KEY = API_KEY;
    return new trillet.Client({ workspaceId: WORKSPACE_ID, baseUrl: env.sandbox.url }).close().then(() => {
      assert.throws(() => new trillet.Client({ ignoreEnv: true }), (e) => e.code === 'missing_api_key' && e.message.includes('apiKey'));
    });
  } finally {
    if (saved === undefined) delete process.env.TRILLET_API_KEY;
    else process.env.TRILLET_API_KEY = saved;
  }
});

test('a missing required body field is missing_field, nothing sent; client.request is not checked', async () => {
  const client = await fresh();
  const { ttsModel: _, ...noVoice } = AGENT_BODY;
  for (const body of [noVoice, { ...noVoice, ttsModel: null }, { ...noVoice, ttsModel: '  ' }]) {
    assertRefused(await client.agents.create(body).catch((e) => e), 'missing_field',
      'agents.create needs the body field "ttsModel"', 'nothing was sent');
    assertRefused(await client.call('agents.create', { body }).catch((e) => e), 'missing_field', '"ttsModel"');
  }
  const noAgent = await client.calls.initiate({ to: '+14155550123' }).catch((e) => e);
  assertRefused(noAgent, 'missing_field', 'calls.initiate needs the body field "call_agent_id"');
  assert.equal(noAgent.meta.attempts, 0);
  assert.deepEqual(await env.sandbox.requests(), []);
  // The escape hatch: the same body by method and path reaches the sandbox.
  await client.request('POST', '/v1/api/agents', { body: noVoice }).catch(() => null);
  assert.equal((await env.sandbox.requests('agents.create')).length, 1);
});

test('a `to` that is not E.164 is invalid_number, nothing sent; the sandbox answers it through client.request', async () => {
  const client = await fresh();
  for (const number of ['12345', '4155550123', '+1 415 555 0123', '+1234567', '+1415555O123']) {
    const err = await client.calls.initiate({ to: number, call_agent_id: UNKNOWN_ID }).catch((e) => e);
    assertRefused(err, 'invalid_number', 'to must be an E.164 phone number', number);
  }
  assert.deepEqual(await env.sandbox.requests(), []);
  const answered = await client.request('POST', '/v1/api/call', { body: { to: '12345', call_agent_id: UNKNOWN_ID } }).catch((e) => e);
  assert.ok(answered instanceof trillet.BadRequestError, String(answered));
  assert.equal(answered.code, 'invalid_number');
  assert.equal((await env.sandbox.requests('calls.initiate')).length, 1);
});
