// A happy path per resource (all 15) through the generated namespaces, against the sandbox, with
// the sandbox's request log as the proof of what was sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { useSandbox, trillet, AGENT_BODY, WORKSPACE_ID, UNKNOWN_ID } from './helpers.mjs';

const env = useSandbox();
const CSV = 'phone_number\n+14155551234\n';

async function fresh() {
  await env.sandbox.reset();
  return env.client();
}

async function newAgent(client) {
  const agent = await client.agents.create(AGENT_BODY);
  assert.equal(typeof agent._id, 'string');
  return agent._id;
}

function items(answer) {
  if (Array.isArray(answer)) return answer;
  for (const k of ['data', 'calls', 'items']) if (Array.isArray(answer[k])) return answer[k];
  return [];
}

test('every resource of the catalog has its namespace, and every operation its method', () => {
  const client = env.client();
  const catalog = trillet.operations();
  const resources = new Set(catalog.operations.map((op) => op.resource));
  assert.equal(resources.size, 15);
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  for (const op of catalog.operations) {
    assert.equal(typeof client[camel(op.resource)][camel(op.action)], 'function', op.id);
    assert.equal(typeof client.withRawResponse[camel(op.resource)][camel(op.action)], 'function', op.id);
  }
  assert.equal(catalog.operations.length, Object.keys(trillet.OPERATIONS).length);
});

test('agents: create, get, update, list, delete', async () => {
  const client = await fresh();
  const created = await client.agents.create(AGENT_BODY);
  const id = created._id;
  assert.equal(created.name, 'Node agent');
  assert.equal((await client.agents.get(id))._id, id);
  assert.equal((await client.call('agents.get', { path: { agentId: id } }))._id, id);
  assert.equal((await client.call('agents.get', { path: { agent_id: id } }))._id, id);
  const updated = await client.agents.update(id, { name: 'Node agent 2', llmModel: 'gpt-4o' });
  assert.equal(updated.name, 'Node agent 2');
  assert.ok(items(await client.agents.list()).some((a) => a._id === id));
  await client.agents.delete(id);
  await assert.rejects(client.agents.get(id), trillet.NotFoundError);
  const sent = await env.sandbox.requests();
  assert.deepEqual(
    sent.map((r) => [r.operation, r.method]),
    [
      ['agents.create', 'POST'],
      ['agents.get', 'GET'],
      ['agents.get', 'GET'],
      ['agents.get', 'GET'],
      ['agents.update', 'PUT'],
      ['agents.list', 'GET'],
      ['agents.delete', 'DELETE'],
      ['agents.get', 'GET'],
    ],
  );
  assert.deepEqual(sent[0].body, AGENT_BODY);
  assert.equal(sent[1].path, `/v1/api/agents/${id}`);
  assert.equal(sent[1].headers['x-workspace-id'], WORKSPACE_ID);
  assert.match(sent[1].headers['user-agent'], /node\/\d+\.\d+/);
});

test('a nested Unicode body arrives as sent', async () => {
  const client = await fresh();
  const body = { name: 'Ordre é ✓ 𝄞', zeta: 1, alpha: { y: 2.5, b: [3, 'é', null, true] }, llmModel: 'gpt-4o-mini' };
  const created = await client.omniFlowAgents.create(body);
  assert.equal(created.name, 'Ordre é ✓ 𝄞');
  const [sent] = await env.sandbox.requests('omni_flow_agents.create');
  assert.deepEqual(sent.body, body);
});

test('omni flow agents, call flows, message flows, folders', async () => {
  const client = await fresh();
  const omni = await client.omniFlowAgents.create({ name: 'Node omni', llmModel: 'gpt-4o-mini' });
  assert.equal((await client.omniFlowAgents.get(omni._id)).name, 'Node omni');
  const flow = await client.callFlows.create({ name: 'Node flow', direction: 'inbound', promptType: 'simple' });
  assert.equal((await client.callFlows.get(flow._id)).name, 'Node flow');
  const messages = await client.messageFlows.create({
    name: 'Node messages', direction: 'outbound', agent: omni._id, initiationMessage: 'Hi', prompt: 'Be brief', messageChannel: 'SMS',
  });
  assert.equal(messages.name, 'Node messages');
  assert.match(JSON.stringify(await client.messageFlows.list()), /Node messages/);
  const folder = await client.folders.create({ name: 'Node folder', color: '#3B82F6', icon: 'folder', flowType: 'call' });
  assert.equal((await client.folders.get(folder._id)).name, 'Node folder');
  await client.folders.delete(folder._id);
  await assert.rejects(client.folders.get(folder._id), trillet.NotFoundError);
});

test('calls, active calls and recordings on a live call', async () => {
  const client = await fresh();
  const agent = await newAgent(client);
  const placed = await client.calls.initiate({ to: '+14155551234', call_agent_id: agent });
  assert.ok(placed.call_id);
  const [sent] = await env.sandbox.requests('calls.initiate');
  assert.deepEqual([sent.method, sent.path], ['POST', '/v1/api/call']);
  const rooms = items(await client.activeCalls.list()).map((c) => c.roomName);
  assert.ok(rooms.length);
  const room = rooms.at(-1);
  assert.match(JSON.stringify(await client.activeCalls.get(room)), new RegExp(room));
  const started = await client.recordings.start({ pathwayId: UNKNOWN_ID, roomName: room });
  assert.ok(started.result.egressId);
  await client.activeCalls.endCall(room);
  const [ended] = await env.sandbox.requests('active_calls.end_call');
  assert.equal(ended.path, `/v2/api/active-calls/${room}/end-call`);
  assert.equal(ended.headers['content-length'], '0');
});

test('call history: query parameters and the CSV export', async () => {
  const client = await fresh();
  await client.callHistory.list({ page: 2, limit: 10, status: ['completed', 'failed'], agentId: undefined });
  const [sent] = await env.sandbox.requests('call_history.list');
  assert.deepEqual([...new URLSearchParams(sent.query)].sort(), [['limit', '10'], ['page', '2'], ['status', 'completed'], ['status', 'failed']]);
  const csv = await client.callHistory.exportCsv({});
  assert.equal(typeof csv, 'string');
  assert.ok(csv.split('\n')[0].startsWith('Call ID,'));
});

test('uploads: a path, bytes, and a named part, as multipart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trillet-node-'));
  const file = join(dir, 'calls.csv');
  writeFileSync(file, CSV);
  for (const upload of [file, Buffer.from(CSV), { filename: 'calls.csv', data: CSV, contentType: 'text/csv' }, new URL(`file://${file}`)]) {
    const client = await fresh();
    const agent = await newAgent(client);
    const batch = await client.batchCalls.start({ file: upload, body: { agentId: agent } });
    assert.equal(batch.totalCalls, 1);
    assert.equal(typeof (await client.batchCalls.progress(batch.batchId)), 'object');
    const [sent] = await env.sandbox.requests('batch_calls.start');
    assert.match(sent.headers['content-type'], /^multipart\/form-data; boundary=/);
  }
  const client = await fresh();
  const kb = await client.knowledgeBase.create({ name: 'Node docs' });
  assert.equal((await client.knowledgeBase.get(kb._id)).name, 'Node docs');
  const uploaded = await client.knowledgeBase.uploadFile(kb._id, { file: { filename: 'faq.txt', data: 'Q: why?\nA: because.\n' } });
  assert.equal(typeof uploaded, 'object');
  const [sent] = await env.sandbox.requests('knowledge_base.upload_file');
  assert.match(sent.headers['content-type'], /^multipart\/form-data/);
});

test('batch calls: listAllCalls pages through every call', async () => {
  const client = await fresh();
  const agent = await newAgent(client);
  const numbers = Array.from({ length: 5 }, (_, i) => `+1415555123${i}`);
  const batch = await client.batchCalls.start({ file: { filename: 'c.csv', data: `phone_number\n${numbers.join('\n')}\n` }, body: { agentId: agent } });
  assert.equal(batch.totalCalls, 5);
  const seen = [];
  for await (const call of client.batchCalls.listAllCalls(batch.batchId, { limit: 2 })) seen.push(call);
  assert.equal(seen.length, 5);
  const pages = await env.sandbox.requests('batch_calls.list_calls');
  assert.deepEqual(pages.map((p) => new URLSearchParams(p.query).get('page')), ['1', '2', '3']);
  assert.ok(pages.every((p) => new URLSearchParams(p.query).get('limit') === '2'));
});

test('call history: listAll pages lazily, and stops fetching when the loop breaks', async () => {
  const client = await fresh();
  const agent = await newAgent(client);
  for (let i = 0; i < 5; i++) await client.calls.initiate({ to: `+1415555200${i}`, call_agent_id: agent });
  const total = (await client.callHistory.list({ limit: 100 })).length;
  assert.ok(total >= 5, `history has ${total} records`);
  const all = [];
  for await (const record of client.callHistory.listAll({ limit: 2, agentId: agent })) all.push(record._id);
  assert.equal(all.length, total);
  assert.equal(new Set(all).size, total);
  const pages = await env.sandbox.requests('call_history.list');
  const paged = pages.slice(1).map((p) => new URLSearchParams(p.query));
  // Pages 1, 2, 3, ... of 2 items: at least ceil(total / 2) of them, at most one more (an empty last page).
  assert.deepEqual(paged.map((q) => q.get('page')), paged.map((_, i) => String(i + 1)));
  assert.ok(paged.length >= Math.ceil(total / 2) && paged.length <= Math.ceil(total / 2) + 1, `${paged.length} pages`);
  assert.ok(paged.every((q) => q.get('limit') === '2' && q.get('agentId') === agent));
  // Breaking out after the first item: one more page fetched, no more.
  const before = pages.length;
  for await (const record of client.callHistory.listAll({ limit: 2 })) {
    assert.ok(record);
    break;
  }
  assert.equal((await env.sandbox.requests('call_history.list')).length, before + 1);
});

test('conversations, phone numbers, voices, workspaces', async () => {
  const client = await fresh();
  assert.equal(typeof (await client.conversations.list()), 'object');
  await client.phoneNumbers.searchAvailable({ country: 'US', type: 'local' });
  const [sent] = await env.sandbox.requests('phone_numbers.search_available');
  assert.deepEqual([...new URLSearchParams(sent.query)].sort(), [['country', 'US'], ['type', 'local']]);
  assert.equal(typeof (await client.phoneNumbers.list()), 'object');
  await assert.rejects(client.phoneNumbers.bind('agent-1', 'number-2', {}), trillet.TrilletError);
  const [bound] = await env.sandbox.requests('phone_numbers.bind');
  assert.equal(bound.path, '/v1/api/agents/agent-1/bind/number-2');
  const voice = await client.voices.create({ name: 'Node voice', embedding: { data: 'AAAA', format: 'float32' } });
  assert.equal((await client.voices.get(voice._id)).name, 'Node voice');
  assert.match(JSON.stringify(await client.workspaces.list()), new RegExp(WORKSPACE_ID));
  assert.match(JSON.stringify(await client.workspaces.get(WORKSPACE_ID)), new RegExp(WORKSPACE_ID));
  assert.deepEqual(await client.workspaces.pendingInvitations(), { success: true, invitations: [] });
});

test('the request escape hatch fills a template and sends the query', async () => {
  const client = await fresh();
  const agent = await newAgent(client);
  const got = await client.request('GET', '/v1/api/agents/{agentId}', { pathParams: { agent_id: agent } });
  assert.equal(got._id, agent);
  await client.request('GET', '/v1/api/agents', { query: { page: 1 } });
  const sent = (await env.sandbox.requests()).at(-1);
  assert.deepEqual([sent.method, sent.path, sent.query], ['GET', '/v1/api/agents', 'page=1']);
});

test('settings fall back to TRILLET_* in the environment, unless ignoreEnv', async () => {
  await env.sandbox.reset();
  process.env.TRILLET_API_KEY = 'sk_test_trillet_sandbox';
  process.env.TRILLET_WORKSPACE_ID = WORKSPACE_ID;
  process.env.TRILLET_BASE_URL = env.sandbox.url;
  try {
    const client = new trillet.Client({ maxRetries: 0 });
    assert.deepEqual(await client.agents.list(), []);
    await client.close();
    const [sent] = await env.sandbox.requests('agents.list');
    assert.equal(sent.headers['x-workspace-id'], WORKSPACE_ID);
    const isolated = new trillet.Client({ apiKey: 'k', baseUrl: env.sandbox.url, ignoreEnv: true });
    await assert.rejects(isolated.agents.list(), (e) => e instanceof trillet.InvalidInputError && e.code === 'missing_workspace_id');
    await isolated.close();
    assert.equal((await env.sandbox.requests('agents.list')).length, 1);
  } finally {
    delete process.env.TRILLET_API_KEY;
    delete process.env.TRILLET_WORKSPACE_ID;
    delete process.env.TRILLET_BASE_URL;
  }
});

test('client options: unknown and wrongly typed options are refused; the key is never shown', () => {
  assert.throws(() => new trillet.Client({ apikey: 'x' }), (e) => e instanceof trillet.InvalidInputError && e.code === 'unknown_setting');
  assert.throws(() => new trillet.Client({ maxRetries: -1, ignoreEnv: true }), trillet.InvalidInputError);
  assert.throws(() => new trillet.Client({ apiKey: 'sk_x', baseUrl: 'http://api.example.com', ignoreEnv: true }), (e) => e.code === 'insecure_base_url');
  const c = new trillet.Client({ apiKey: 'sk_secret_value', workspaceId: 'w', ignoreEnv: true });
  assert.ok(!inspect(c, { depth: 5, showHidden: true }).includes('sk_secret_value'));
  assert.ok(!JSON.stringify(c).includes('sk_secret_value'));
  return c.close();
});

test('the library loaded is TRILLET_LIB, or the one bundled in the installed package', async () => {
  const { dirname, resolve } = await import('node:path');
  const installed = process.env.TRILLET_TEST_PACKAGE;
  if (installed) {
    assert.equal(process.env.TRILLET_LIB, undefined);
    assert.equal(trillet.libraryFile(), join(dirname(installed), 'native', 'libtrillet.so'));
    assert.ok(!trillet.libraryFile().includes('/target/'));
  } else {
    assert.equal(trillet.libraryFile(), resolve(process.env.TRILLET_LIB));
  }
  assert.equal(trillet.version(), trillet.operations().version);
});
