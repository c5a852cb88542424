// Webhooks over the core's verifier: both schemes, rotation, every refusal's code, raw bytes only,
// cross-checked against the official `standardwebhooks` package both ways, and the node:http
// receiver example end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { trillet, PACKAGE } from './helpers.mjs';

const { webhooks } = trillet;
const require = createRequire(import.meta.url);
const { Webhook } = require('standardwebhooks');

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = Buffer.from('{"event":"call.completed","data":{"callId":"c1","agentId":"a1","duration":42,"status":"completed"}}');

test('trillet scheme: sign, verify, constructEvent on the raw bytes', () => {
  const signature = webhooks.sign(SECRET, BODY);
  assert.match(signature, /^[0-9a-f]{64}$/);
  assert.equal(webhooks.verify(SECRET, BODY, signature), true);
  assert.equal(webhooks.verify(SECRET, BODY, { 'X-Trillet-Signature': `sha256=${signature.toUpperCase()}` }), true);
  assert.equal(webhooks.verify(SECRET, Buffer.concat([BODY, Buffer.from(' ')]), signature), false);
  const event = webhooks.constructEvent(SECRET, new Uint8Array(BODY), { 'x-trillet-signature': signature });
  assert.equal(event.event, 'call.completed');
  assert.equal(event.data.duration, 42);
  assert.deepEqual(webhooks.verifyHeaders(SECRET, BODY, signature).scheme, 'trillet');
  // A parsed object is refused: only the raw body can be verified.
  assert.equal(webhooks.verify(SECRET, JSON.parse(BODY), signature), false);
  assert.throws(() => webhooks.verifyHeaders(SECRET, JSON.parse(BODY), signature), (e) => e instanceof trillet.WebhookSignatureError && e.code === 'invalid_payload');
});

test('refusals name the failed check', () => {
  const fail = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof trillet.WebhookSignatureError && e instanceof trillet.InvalidInputError, e.name);
      return e.code;
    }
    return 'passed';
  };
  assert.equal(fail(() => webhooks.verifyHeaders(SECRET, BODY, {})), 'missing_signature');
  assert.equal(fail(() => webhooks.verifyHeaders(SECRET, BODY, '0'.repeat(64))), 'bad_signature');
  const old = webhooks.signHeaders(SECRET, BODY, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
  assert.equal(fail(() => webhooks.verifyHeaders(SECRET, BODY, old)), 'timestamp_too_old');
  const future = webhooks.signHeaders(SECRET, BODY, { timestamp: Math.floor(Date.now() / 1000) + 3600 });
  assert.equal(fail(() => webhooks.verifyHeaders(SECRET, BODY, future)), 'timestamp_in_future');
  assert.equal(fail(() => webhooks.verifyHeaders(SECRET, BODY, future, { tolerance: 7200 })), 'passed');
  const notEvent = Buffer.from('[1,2]');
  assert.equal(fail(() => webhooks.constructEvent(SECRET, notEvent, webhooks.sign(SECRET, notEvent))), 'invalid_payload');
});

test('rotation: any one of several secrets passes', () => {
  const headers = webhooks.signHeaders(SECRET, BODY, { scheme: 'trillet' });
  assert.equal(webhooks.verify(['whsec_b2xk', SECRET], BODY, headers), true);
  assert.equal(webhooks.verify(['whsec_b2xk'], BODY, headers), false);
});

test('standard scheme agrees with the official standardwebhooks package, both ways', () => {
  const wh = new Webhook(SECRET);
  const id = 'msg_2aB3cD4eF5';
  const now = new Date();
  const ts = Math.floor(now.getTime() / 1000);
  // Theirs -> ours.
  const theirs = wh.sign(id, now, BODY.toString());
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': theirs };
  const how = webhooks.verifyHeaders(SECRET, BODY, headers);
  assert.equal(how.scheme, 'standard');
  assert.equal(how.id, id);
  assert.equal(webhooks.constructEvent(SECRET, BODY, new Headers(headers)).data.callId, 'c1');
  // Ours -> theirs.
  const ours = webhooks.signHeaders(SECRET, BODY, { id, timestamp: ts });
  assert.equal(ours['webhook-signature'], theirs);
  assert.deepEqual(wh.verify(BODY.toString(), ours), JSON.parse(BODY));
  // A tampered body fails for both.
  const tampered = Buffer.from(BODY.toString().replace('42', '43'));
  assert.equal(webhooks.verify(SECRET, tampered, ours), false);
  assert.throws(() => wh.verify(tampered.toString(), ours));
});

test('the node:http receiver example accepts a signed event and refuses a forged one', async () => {
  const { receiver } = await import(`${PACKAGE}/examples/webhook-receiver.mjs`);
  const seen = [];
  const server = receiver(SECRET, (e) => seen.push(e));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    const good = await fetch(url, { method: 'POST', body: BODY, headers: webhooks.signHeaders(SECRET, BODY) });
    assert.equal(good.status, 200);
    const forged = await fetch(url, { method: 'POST', body: BODY, headers: { 'x-trillet-signature': '0'.repeat(64) } });
    assert.equal(forged.status, 400);
    assert.deepEqual(await forged.json(), { error: 'bad_signature' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].data.callId, 'c1');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('the Express receiver example verifies the raw body (express.raw), standard and trillet schemes', async () => {
  const { app } = await import(`${PACKAGE}/examples/webhook-receiver-express.mjs`);
  const seen = [];
  const server = app(SECRET, (e) => seen.push(e)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${server.address().port}/webhooks/trillet`;
  try {
    const json = { 'content-type': 'application/json' };
    for (const scheme of ['standard', 'trillet']) {
      const ok = await fetch(url, { method: 'POST', body: BODY, headers: { ...json, ...webhooks.signHeaders(SECRET, BODY, { scheme }) } });
      assert.equal(ok.status, 200, scheme);
    }
    // The same JSON re-serialized (other spacing) no longer matches the signature.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(BODY), null, 1));
    const refused = await fetch(url, { method: 'POST', body: reserialized, headers: { ...json, ...webhooks.signHeaders(SECRET, BODY) } });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'bad_signature' });
    assert.equal(seen.length, 2);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
