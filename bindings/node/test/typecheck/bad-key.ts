// A misspelled result key: tsc must refuse it.
import { Client } from 'trillet';

export async function main(): Promise<void> {
  const client = new Client();
  const agent = await client.agents.get('id');
  console.log(agent.nmae);
}
