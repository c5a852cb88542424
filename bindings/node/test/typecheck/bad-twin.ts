// Another spelling of a field is not a second property: tsc must refuse `agent.agentId` (the
// canonical key is `_id`; the other spelling is read through a type assertion, see the README).
import { Client } from 'trillet';

export async function main(): Promise<void> {
  const client = new Client();
  const agent = await client.agents.get('id');
  console.log(agent.agentId);
}
