// Calls never block the event loop, and many run at once: a 10 ms interval keeps ticking while 20
// calls wait on a slow server, and N overlapping calls take about one call's time. The bounds are
// generous (a shared, noisy machine): lower bounds where timing matters, loose upper ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, trillet, rawServer } from './helpers.mjs';

const env = useSandbox();
const DELAY_MS = 1_000;

test('a 10 ms interval keeps ticking while 20 calls wait on a slow server', async () => {
  const server = await rawServer(DELAY_MS);
  try {
    const client = env.client({ baseUrl: server.url, timeout: 60_000 });
    let ticks = 0;
    const interval = setInterval(() => (ticks += 1), 10);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.agents.get(`a${i}`)));
    const took = performance.now() - started;
    clearInterval(interval);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.name === 'Raw'));
    assert.ok(took >= DELAY_MS * 0.9, `took ${took} ms`);
    // A blocked loop would tick ~0 times; a free one ~took/10. Generous: a quarter of that.
    const expected = took / 10;
    assert.ok(ticks >= expected / 4, `${ticks} ticks in ${took.toFixed(0)} ms (expected about ${expected.toFixed(0)})`);
    assert.equal(server.maxInFlight, 20, 'all 20 requests were in flight at once');
  } finally {
    await server.close();
  }
});

test('N overlapping calls take about one call\'s time, not N', async () => {
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

test('more calls than threads wait in a queue and all complete; libuv\'s pool stays free for fs', async () => {
  const server = await rawServer(300);
  const before = trillet.configurePool();
  try {
    trillet.configurePool({ maxThreads: 4 });
    const client = env.client({ baseUrl: server.url, timeout: 60_000 });
    const calls = Promise.all(Array.from({ length: 12 }, (_, i) => client.agents.get(`c${i}`)));
    // fs work on libuv's pool completes while every call thread is busy.
    const fs = await import('node:fs/promises');
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => fs.stat(import.meta.dirname || '.')));
    const fsTook = performance.now() - t;
    assert.ok(fsTook < 250, `fs.stat waited ${fsTook.toFixed(0)} ms behind the calls`);
    assert.equal(trillet.poolStats().threads <= 4, true);
    assert.equal((await calls).length, 12);
    assert.equal(server.maxInFlight, 4);
  } finally {
    trillet.configurePool(before);
    await server.close();
  }
});
