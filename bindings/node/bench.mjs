#!/usr/bin/env node
/**
 * The Node side of the benchmark (scripts/bench runs it): `client.agents.get` against Node's own
 * `fetch` (undici) + `.json()`, side by side on the neutral keep-alive server of examples/bench.rs
 * (`bench server`, a fixed agent for every request): sequential calls (per-call time) and bursts
 * of 100 concurrent calls (wall time per burst), in interleaved rounds; medians and the ratios.
 *
 *   node bindings/node/bench.mjs --server target/release/examples/bench [--calls 2000] [--rounds 5] [--bursts 20]
 *
 * TRILLET_LIB names the library (scripts/bench: the release build).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client, configurePool } from './index.mjs';

const { values: opts } = parseArgs({
  options: {
    server: { type: 'string' },
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    bursts: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '100' },
    'delay-ms': { type: 'string', default: '0' },
  },
});
const CALLS = Number(opts.calls);
const ROUNDS = Number(opts.rounds);
const BURSTS = Number(opts.bursts);
const CONCURRENCY = Number(opts.concurrency);
const AGENT_ID = '665a1b2c3d4e5f6a7b8c9d0e';
const KEY = 'sk_bench';
const WORKSPACE = '64a1b2c3d4e5f6a7b8c9d0e1';

async function startServer(delayMs) {
  const args = ['server'];
  if (delayMs > 0) args.push('--delay-ms', String(delayMs));
  const proc = spawn(opts.server, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => createInterface({ input: proc.stdout }).once('line', (l) => resolve(l.trim())));
  return { url, stop: () => proc.stdin.end() };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const server = await startServer(Number(opts['delay-ms']));
  const client = new Client({ apiKey: KEY, workspaceId: WORKSPACE, baseUrl: server.url, maxRetries: 0, ignoreEnv: true });
  const headers = { 'x-api-key': KEY, 'x-workspace-id': WORKSPACE, accept: 'application/json' };
  const target = `${server.url}/v1/api/agents/${AGENT_ID}`;
  const viaTrillet = () => client.agents.get(AGENT_ID);
  const viaFetch = async () => {
    const res = await fetch(target, { headers });
    if (!res.ok) throw new Error(`fetch: ${res.status}`);
    return res.json();
  };
  // The pool's size is set before each trillet contender runs: one thread per concurrent call,
  // and the default (32).
  const wide = Math.max(32, CONCURRENCY);
  const contenders = [
    [`trillet (client.agents.get), maxThreads ${wide}`, viaTrillet, wide],
    ['fetch + .json()', viaFetch, null],
    ['trillet, default pool (maxThreads 32)', viaTrillet, 32],
  ];
  // Warm-up: connections, threads, JIT.
  for (const [, fn, threads] of contenders) {
    if (threads) configurePool({ maxThreads: threads });
    for (let i = 0; i < 200; i++) await fn();
    await Promise.all(Array.from({ length: CONCURRENCY }, fn));
  }
  const seq = new Map(contenders.map(([n]) => [n, []]));
  const conc = new Map(contenders.map(([n]) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn, threads] of contenders) {
      if (threads) configurePool({ maxThreads: threads });
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) await fn();
      seq.get(name).push(((performance.now() - t0) * 1000) / CALLS);
      const bursts = [];
      for (let b = 0; b < BURSTS; b++) {
        const t1 = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, fn));
        bursts.push(performance.now() - t1);
      }
      conc.get(name).push(median(bursts));
    }
  }
  await client.close();
  server.stop();
  const [ours, theirs, defaults] = contenders.map(([n]) => n);
  const s = (n) => median(seq.get(n));
  const c = (n) => median(conc.get(n));
  const delay = Number(opts['delay-ms']);
  console.log(`Node ${process.version}: ${ROUNDS} interleaved rounds of ${CALLS} sequential calls and ${BURSTS} bursts of ${CONCURRENCY} concurrent calls` +
    (delay ? ` (server answers after ${delay} ms)` : ''));
  console.log('');
  console.log(`| client | sequential, µs per call | ${CONCURRENCY} concurrent, ms per burst |`);
  console.log('| --- | ---: | ---: |');
  for (const [name] of contenders) console.log(`| ${name} | ${s(name).toFixed(1)} | ${c(name).toFixed(2)} |`);
  console.log(`| **ratio trillet / fetch** | **${(s(ours) / s(theirs)).toFixed(2)}x** | **${(c(ours) / c(theirs)).toFixed(2)}x** |`);
  console.log(`| ratio trillet (default pool) / fetch | ${(s(defaults) / s(theirs)).toFixed(2)}x | ${(c(defaults) / c(theirs)).toFixed(2)}x |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
