// Lists are lists: a typed list method resolves to the items (an array) whatever shape the API
// answered in, with the envelope's paging facts as non-enumerable `pagination` and `hasNext`;
// `listAll` follows the core's ListAll. Against the sandbox, whose faults answer each shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox } from './helpers.mjs';

const env = useSandbox();
const A = { _id: 'a1', name: 'A' };
const B = { _id: 'b2', name: 'B' };
const ok = (body) => ({ type: 'status', status: 200, body });

const SHAPES = [
  ['bare array', [A, B], [A, B], undefined, undefined],
  ['agents envelope', { agents: [A, B] }, [A, B], undefined, undefined],
  ['data envelope with pagination', { data: [A], pagination: { hasNext: true, total: 2 } }, [A], { hasNext: true, total: 2 }, true],
  ['top-level hasNext', { items: [B], hasNext: false }, [B], undefined, false],
  ['one object', A, [A], undefined, undefined],
  ['null', null, [], undefined, undefined],
];

for (const [name, wire, items, pagination, hasNext] of SHAPES) {
  test(`a list method returns the items: ${name}`, async () => {
    await env.sandbox.reset();
    const client = env.client();
    await env.sandbox.fault('agents.list', ok(wire), 3);
    const page = await client.agents.list();
    assert.ok(Array.isArray(page));
    assert.deepEqual(page, items);
    assert.deepEqual([page.pagination, page.hasNext], [pagination, hasNext]);
    assert.equal(JSON.stringify(page), JSON.stringify(items), 'serializes as the plain array');
    const raw = await client.withRawResponse.agents.list();
    assert.deepEqual(raw.data, items);
    assert.deepEqual([raw.data.pagination, raw.data.hasNext], [pagination, hasNext]);
    assert.equal(raw.meta.status, 200);
    // The escape hatch resolves to the answer as sent.
    assert.deepEqual(await client.call('agents.list'), wire);
  });
}

test('listAll follows a short page that says hasNext: true, and stops at hasNext: false', async () => {
  await env.sandbox.reset();
  const client = env.client();
  for (const [id, more] of [['1', true], ['2', true], ['3', false]]) {
    await env.sandbox.fault('call_history.list', ok({ calls: [{ _id: id }], pagination: { hasNext: more } }));
  }
  const seen = [];
  for await (const r of client.callHistory.listAll({ limit: 10 })) seen.push(r._id);
  assert.deepEqual(seen, ['1', '2', '3']);
  assert.equal((await env.sandbox.requests('call_history.list')).length, 3);
});

test('listAll stops on an empty page even if it says hasNext, and throws an error once', async () => {
  await env.sandbox.reset();
  const client = env.client();
  await env.sandbox.fault('call_history.list', ok({ data: [], hasNext: true }));
  const seen = [];
  for await (const r of client.callHistory.listAll({ limit: 5 })) seen.push(r);
  assert.deepEqual(seen, []);
  assert.equal((await env.sandbox.requests('call_history.list')).length, 1);

  await env.sandbox.reset();
  await env.sandbox.fault('call_history.list', ok({ calls: [{ _id: 'x' }], hasNext: true }));
  await env.sandbox.fault('call_history.list', { type: 'status', status: 500 });
  const it = client.callHistory.listAll({ limit: 1 });
  assert.equal((await it.next()).value._id, 'x');
  await assert.rejects(it.next());
  assert.equal((await it.next()).done, true);
  assert.equal((await env.sandbox.requests('call_history.list')).length, 2);
});
