// A body field of the wrong type: tsc must refuse it.
import { Client } from 'trillet';

export async function main(): Promise<void> {
  const client = new Client();
  await client.agents.create({ name: 42, llmModel: 'gpt-4o-mini', ttsModel: { voiceId: 'v1' } });
}
