// Calls never block the event loop, and many run at once: a 10 ms interval keeps ticking while 20
// calls wait on a slow server, and N overlapping calls take about one call's time. The bounds are
// generous (a shared, noisy machine): lower bounds where timing matters, loose upper ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, trillet, rawServer } from './helpers.mjs';

const env = useSandbox();
const DELAY_MS = 1_000;

test('a 10 ms interval keeps ticking while 20 calls wait on a slow server', { timeout: 120_000 }, async () => {
  // The slow server is the sandbox (another process) holding each answer DELAY_MS: were the calls
  // made on the main thread, they would run one after another and the interval would not tick.
  await env.sandbox.reset();
  await env.sandbox.fault('agents.list', { type: 'delay', ms: DELAY_MS }, 20);
  const client = env.client({ timeout: 60_000 });
  let ticks = 0;
  const interval = setInterval(() => (ticks += 1), 10);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 20 }, () => client.agents.list()));
  const took = performance.now() - started;
  clearInterval(interval);
  assert.equal(results.length, 20);
  assert.equal((await env.sandbox.requests('agents.list')).length, 20);
  assert.ok(took >= DELAY_MS * 0.9, `took ${took} ms`);
  // A blocked loop would tick ~0 times; a free one ~took/10. Generous: a quarter of that.
  const expected = took / 10;
  assert.ok(ticks >= expected / 4, `${ticks} ticks in ${took.toFixed(0)} ms (expected about ${expected.toFixed(0)})`);
  // And the 20 overlapped: far less than 20 one-second calls in a row.
  assert.ok(took < DELAY_MS * 10, `20 calls took ${took.toFixed(0)} ms`);
});

test('N overlapping calls take about one call\'s time, not N', { timeout: 120_000 }, async () => {
  const server = await rawServer(DELAY_MS);
  try {
    const client = env.client({ baseUrl: server.url, timeout: 60_000 });
    await client.agents.get('warm');
    const n = 24;
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => client.agents.get(`b${i}`)));
    const took = performance.now() - started;
    assert.ok(took >= DELAY_MS * 0.9, `took ${took} ms`);
    // Serially this is n seconds; one call's time plus generous slack is far below that.
    assert.ok(took < DELAY_MS * 5, `${n} overlapping calls took ${took.toFixed(0)} ms`);
    assert.ok(server.maxInFlight >= n, `at most ${server.maxInFlight} in flight`);
  } finally {
    await server.close();
  }
});

test('more calls than threads wait in a queue and all complete; libuv\'s pool stays free for fs', { timeout: 120_000 }, async () => {
  // Each call holds its thread 1.5 s: had the calls been on libuv's pool (4 threads), fs would wait that long.
  const server = await rawServer(1_500);
  const before = trillet.configurePool();
  try {
    trillet.configurePool({ maxThreads: 4 });
    const client = env.client({ baseUrl: server.url, timeout: 60_000 });
    const started = performance.now();
    const calls = Promise.all(Array.from({ length: 8 }, (_, i) => client.agents.get(`c${i}`)));
    // fs work on libuv's pool completes while every call thread is busy.
    const fs = await import('node:fs/promises');
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => fs.stat(import.meta.dirname || '.')));
    const fsTook = performance.now() - t;
    assert.ok(fsTook < 750, `fs.stat waited ${fsTook.toFixed(0)} ms behind the calls`);
    assert.equal(trillet.poolStats().threads <= 4, true);
    assert.equal((await calls).length, 8);
    // Two waves of four: the queued calls really waited for a free thread.
    const took = performance.now() - started;
    assert.ok(took >= 2 * 1_500 * 0.9, `8 calls on 4 threads took ${took.toFixed(0)} ms`);
    assert.equal(server.maxInFlight, 4);
  } finally {
    trillet.configurePool(before);
    await server.close();
  }
});
