'use strict';
/**
 * The call pool: worker threads (`worker.cjs`) that make the blocking C calls, one call per thread
 * at a time, shared by every client of the process.
 *
 * Why not koffi's `.async()`: it queues on libuv's thread pool (4 threads by default, fixed at its
 * first use, which under ESM on Node 20 happens before any package code runs, so the package
 * cannot raise `UV_THREADPOOL_SIZE` itself). Four calls waiting on a slow API would then hold
 * every thread `fs`, `dns.lookup` and `zlib` need, and a fifth call would wait for one of them.
 * A pool of our own leaves libuv's alone: its threads are started on demand (at most
 * `maxThreads`, default 32, so dozens of calls run at once; more wait in a queue without
 * blocking anything) and stop after `idleTimeoutMs` (default 30 s) without work. An idle thread
 * does not keep the process alive; a busy one does (like a socket of `fetch`).
 */
const path = require('node:path');
const { Worker } = require('node:worker_threads');

/** The defaults of `configurePool`. */
const DEFAULTS = Object.freeze({ maxThreads: 32, idleTimeoutMs: 30_000 });

const WORKER_FILE = path.join(__dirname, 'worker.cjs');

class Pool {
  /** @param {string} library the path of the native library each thread loads */
  constructor(library) {
    this.library = library;
    this.maxThreads = DEFAULTS.maxThreads;
    this.idleTimeoutMs = DEFAULTS.idleTimeoutMs;
    /** @type {Array<{worker: Worker, job: object|null, timer: NodeJS.Timeout|null}>} */
    this.threads = [];
    this.queue = [];
    this.nextId = 1;
    this.started = 0;
  }

  /** Current numbers: threads alive, busy, queued jobs, threads started since the pool was made. */
  stats() {
    const busy = this.threads.filter((t) => t.job).length;
    return { threads: this.threads.length, busy, queued: this.queue.length, started: this.started };
  }

  /** Runs one message on a thread; resolves with the thread's answer `{status, json, meta}`. */
  run(message) {
    return new Promise((resolve, reject) => {
      message.id = this.nextId++;
      const job = { message, resolve, reject };
      const busy = this.threads.reduce((n, t) => n + (t.job ? 1 : 0), 0);
      const idle = busy < this.maxThreads ? this.threads.find((t) => !t.job) : undefined;
      if (idle) this.assign(idle, job);
      else if (busy < this.maxThreads && this.threads.length < this.maxThreads) this.assign(this.spawn(), job);
      else this.queue.push(job);
    });
  }

  spawn() {
    // No resourceLimits: a thread holds a whole response body (a large CSV export) as a string.
    const worker = new Worker(WORKER_FILE, { workerData: { library: this.library } });
    this.started += 1;
    const thread = { worker, job: null, timer: null };
    worker.on('message', (answer) => this.finish(thread, answer));
    worker.on('error', (err) => this.lost(thread, err));
    worker.on('exit', (code) => this.lost(thread, new Error(`a call thread exited (code ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  assign(thread, job) {
    if (thread.timer) {
      clearTimeout(thread.timer);
      thread.timer = null;
    }
    thread.job = job;
    thread.worker.ref();
    thread.worker.postMessage(job.message);
  }

  finish(thread, answer) {
    const job = thread.job;
    thread.job = null;
    const busy = this.threads.reduce((n, t) => n + (t.job ? 1 : 0), 0);
    const next = busy < this.maxThreads ? this.queue.shift() : undefined;
    if (next) this.assign(thread, next);
    else if (this.threads.length > this.maxThreads) this.retire(thread);
    else this.rest(thread);
    if (job) job.resolve(answer);
  }

  rest(thread) {
    thread.worker.unref();
    thread.timer = setTimeout(() => this.retire(thread), this.idleTimeoutMs);
    thread.timer.unref();
  }

  retire(thread) {
    if (thread.job) return;
    thread.retired = true;
    this.remove(thread);
    thread.worker.terminate().catch(() => {});
  }

  remove(thread) {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    if (thread.timer) clearTimeout(thread.timer);
    thread.timer = null;
  }

  lost(thread, err) {
    if (thread.retired) return;
    const job = thread.job;
    thread.job = null;
    this.remove(thread);
    if (job) {
      // The call's outcome is unknown: the thread died with it (a bug, or the library failed to load).
      const { localError } = require('./errors.cjs');
      const e = localError('panic', 'thread_lost', `the call's thread failed: ${err && err.message}`);
      e.cause = err;
      job.reject(e);
    }
    const next = this.queue.shift();
    if (next) this.assign(this.spawn(), next);
  }
}

let pool = null;

/** The process's pool for `library` (made on first use). */
function getPool(library) {
  if (!pool) pool = new Pool(library);
  return pool;
}

/**
 * Sets the pool's size: `maxThreads` (how many calls run at once, process-wide; more wait in a
 * queue) and `idleTimeoutMs` (how long a thread without work is kept). Returns the settings now
 * in force.
 */
function configurePool(options = {}) {
  const p = pool || (pool = new Pool(require('./native.cjs').libraryPath()));
  if (options.maxThreads !== undefined) {
    if (!Number.isInteger(options.maxThreads) || options.maxThreads < 1) {
      throw new RangeError('maxThreads must be an integer of at least 1');
    }
    p.maxThreads = options.maxThreads;
    for (const t of [...p.threads]) if (!t.job && p.threads.length > p.maxThreads) p.retire(t);
    while (p.queue.length && p.threads.length < p.maxThreads) p.assign(p.spawn(), p.queue.shift());
  }
  if (options.idleTimeoutMs !== undefined) {
    if (!Number.isFinite(options.idleTimeoutMs) || options.idleTimeoutMs < 0) {
      throw new RangeError('idleTimeoutMs must be a number of milliseconds >= 0');
    }
    p.idleTimeoutMs = options.idleTimeoutMs;
  }
  return { maxThreads: p.maxThreads, idleTimeoutMs: p.idleTimeoutMs };
}

/** The pool's current numbers (threads alive, busy, queued, started). */
function poolStats() {
  return pool ? pool.stats() : { threads: 0, busy: 0, queued: 0, started: 0 };
}

module.exports = { Pool, getPool, configurePool, poolStats, DEFAULTS };
