// Path parameters are required strings: tsc must refuse a missing one and a number.
import { Client } from 'trillet';

export async function main(): Promise<void> {
  const client = new Client();
  await client.agents.get();
  await client.agents.get(42);
}
