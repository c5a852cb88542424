// A misspelled key on a list item: tsc must refuse it (the items are typed, not a union of shapes).
import { Client } from 'trillet';

export async function main(): Promise<void> {
  const client = new Client();
  for (const agent of await client.agents.list()) {
    console.log(agent.nmae);
  }
}
