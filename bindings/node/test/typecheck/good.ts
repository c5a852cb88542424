// Correct use of the package: `tsc --strict --noEmit` must accept it.
import { Client, NotFoundError, AbortError, webhooks, type Agent, type CreateAgent, type CallHistory } from 'trillet';

export async function main(): Promise<void> {
  await using client = new Client({ apiKey: 'sk_x', workspaceId: 'w', baseUrl: 'http://127.0.0.1:1', timeout: 5000, maxRetries: 0 });
  const body: CreateAgent = { name: 'Support', llmModel: 'gpt-4o-mini', ttsModel: { voiceId: 'v1' } };
  const created: Agent = await client.agents.create(body);
  const agent: Agent = await client.agents.get(created._id ?? '', { signal: AbortSignal.timeout(1000) });
  const name: string | null | undefined = agent.name;
  const raw = await client.withRawResponse.agents.get('id');
  const requestId: string | null = raw.meta.requestId;
  const same: Agent = raw.data;
  const any = await client.call<Agent>('agents.get', { path: { agentId: 'x' } });
  // Lists are lists, whatever envelope the API used; the envelope's paging facts ride along.
  for (const a of await client.agents.list()) {
    const n: string | null | undefined = a.name;
    void n;
  }
  const agents: Agent[] = await client.agents.list();
  const page = await client.callHistory.list({ page: 2, limit: 50 });
  const records: CallHistory[] = page;
  const more: boolean | undefined = page.hasNext;
  const total: number | null | undefined = page.pagination?.total;
  const rawAgents: Agent[] = (await client.withRawResponse.agents.list()).data;
  void [agents, records, more, total, rawAgents];
  for await (const record of client.callHistory.listAll({ limit: 50 })) {
    const r: CallHistory = record;
    void r;
  }
  try {
    await client.agents.get('missing');
  } catch (e) {
    if (e instanceof NotFoundError) console.log(e.status, e.code, e.requestId);
    if (e instanceof AbortError) console.log(e.code === 'maybe_sent');
  }
  const event = webhooks.constructEvent('whsec_x', Buffer.from('{}'), { 'x-trillet-signature': 'ab' });
  if (event.event === 'call.completed') console.log(event.data.duration);
  await client.knowledgeBase.uploadFile('kb', { file: { filename: 'a.txt', data: 'hi' } });
  const batch = await client.batchCalls.start({ file: { filename: 'c.csv', data: 'phone_number\n+14155550100\n' }, body: { agentId: 'a1' } });
  const calls = await client.batchCalls.listCalls(batch.batchId ?? '', { status: 'completed', page: 2, limit: 10 });
  const started = await client.calls.initiate({ to: '+14155551234', call_agent_id: 'flow_1' });
  const callId: string | null | undefined = started.call_id;
  void [calls, callId];
  void [name, requestId, same, any];
}

import trillet, { type Workspace } from 'trillet';

export async function more(client: Client): Promise<void> {
  const byId: Agent = await client.call('agents.get', { path: { agentId: 'x' } });
  const ws: Workspace = await client.workspaces.get('w');
  const err: typeof trillet.NotFoundError = trillet.NotFoundError;
  void [byId, ws, err];
}
