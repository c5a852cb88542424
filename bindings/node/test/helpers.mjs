// Test helpers: one local sandbox per test file (`trillet sandbox --port 0`, the binary from
// TRILLET_SANDBOX_BIN, else $CARGO_TARGET_DIR/debug/trillet, else <repo>/target/debug/trillet),
// its control endpoints reached with fetch (so the tests check what the library sent without
// trusting the library to report it), clients pointed at it, and a raw `node:net` server.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { join, dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PACKAGE = join(HERE, '..');
export const REPO = join(PACKAGE, '..', '..');
/** The package under test: the installed one when TRILLET_TEST_PACKAGE names it, else this checkout's. */
export const trillet = await import(process.env.TRILLET_TEST_PACKAGE || join(PACKAGE, 'index.mjs'));

export const API_KEY = 'sk_test_trillet_sandbox';
export const WORKSPACE_ID = '64a1b2c3d4e5f6a7b8c9d0e1';
export const UNKNOWN_ID = '0123456789abcdef01234567';
export const AGENT_BODY = { name: 'Node agent', ttsModel: { provider: 'rime', voiceId: 'mistv2_Wildflower' }, llmModel: 'gpt-4o-mini' };

for (const name of ['TRILLET_API_KEY', 'TRILLET_WORKSPACE_ID', 'TRILLET_BASE_URL', 'TRILLET_LOG']) delete process.env[name];

function sandboxBinary() {
  if (process.env.TRILLET_SANDBOX_BIN) return process.env.TRILLET_SANDBOX_BIN;
  let target = process.env.CARGO_TARGET_DIR || join(REPO, 'target');
  if (!isAbsolute(target)) target = join(REPO, target);
  return join(target, 'debug', 'trillet');
}

/** The running sandbox and its control endpoints. */
export class Sandbox {
  constructor(url, proc) {
    this.url = url;
    this.proc = proc;
  }

  async control(method, path, body) {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** Clears all state, queued faults and the request log. */
  reset() {
    return this.control('POST', '/__sandbox/reset');
  }

  /** Queues `fault` for the next `count` requests to `operation` (`"*"`: any). */
  async fault(operation, fault, count = 1) {
    const answer = await this.control('POST', '/__sandbox/faults', { operation, count, fault });
    if (answer.queued !== count) throw new Error(`fault not queued: ${JSON.stringify(answer)}`);
  }

  /** The API requests the sandbox received (oldest first), optionally of one operation. */
  async requests(operation) {
    const log = await this.control('GET', '/__sandbox/requests');
    return log.filter((r) => operation === undefined || r.operation === operation);
  }

  stop() {
    this.proc.kill('SIGTERM');
  }
}

/** Starts a sandbox for the calling test file (stopped after it). */
export function useSandbox() {
  const holder = { sandbox: null, clients: [] };
  before(async () => {
    const bin = sandboxBinary();
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run bindings/node/run-tests.sh (it builds the trillet CLI)`);
    const proc = spawn(bin, ['sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = createInterface({ input: proc.stdout });
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox did not print its URL')), 30_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
    });
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`unexpected sandbox URL ${url}`);
    holder.sandbox = new Sandbox(url, proc);
  });
  after(async () => {
    for (const c of holder.clients) await c.close();
    if (holder.sandbox) holder.sandbox.stop();
  });
  return {
    get sandbox() {
      return holder.sandbox;
    },
    /** A client pointed at the sandbox (no retries, 10 s timeout), closed after the file. */
    client(options = {}) {
      const c = new trillet.Client({
        apiKey: API_KEY,
        workspaceId: WORKSPACE_ID,
        baseUrl: holder.sandbox.url,
        maxRetries: 0,
        timeout: 10_000,
        ignoreEnv: true,
        ...options,
      });
      holder.clients.push(c);
      return c;
    },
  };
}

/**
 * A raw HTTP/1.1 server on loopback that sees what a client does to its connections. `delayMs`
 * null: never answers; otherwise answers each request after `delayMs` with a small agent.
 */
export async function rawServer(delayMs = null) {
  const state = { accepted: 0, closed: 0, requests: 0, inFlight: 0, maxInFlight: 0, sockets: new Set() };
  const server = createServer((socket) => {
    state.accepted += 1;
    state.sockets.add(socket);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        buffered = buffered.slice(end + 4);
        state.requests += 1;
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        if (delayMs === null) continue;
        setTimeout(() => {
          state.inFlight -= 1;
          const body = JSON.stringify({ _id: '665a1b2c3d4e5f6a7b8c9d0e', name: 'Raw' });
          socket.write(
            `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_raw\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        }, delayMs);
      }
    });
    socket.on('close', () => {
      state.closed += 1;
      state.sockets.delete(socket);
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () =>
    new Promise((resolve) => {
      for (const s of state.sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** Polls `what()` until it is true or `ms` passed; returns its last value. */
export async function waitFor(what, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return what();
}
