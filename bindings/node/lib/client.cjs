'use strict';
/**
 * The client: a `TrilletClient` handle of the native core, whose calls run on the call pool's
 * threads (`pool.cjs`) and come back as Promises. Every call turns its arguments into the shared
 * request JSON (`{"path","query","body","files","timeout_ms"}`), hands it to `trillet_call_ex`
 * with the operation id and a cancel token, and parses what comes back: the response body, or the
 * error JSON, thrown as the matching `TrilletError` subclass. No URL is built and no HTTP is
 * parsed here.
 */
const { native, takeString, addressOf, STATUS, STATUS_KINDS } = require('./native.cjs');
const { getPool } = require('./pool.cjs');
const errors = require('./errors.cjs');
const { filesWire } = require('./files.cjs');
const { settingsConfig } = require('./settings.gen.cjs');
const { OPERATIONS, installResources } = require('./operations.gen.cjs');

const { errorFromText, invalidInput, localError, AbortError, RequestCancelledError } = errors;

const USER_AGENT = `node/${process.versions.node.split('.').slice(0, 2).join('.')}`;
const TEMPLATE_PARAM = /\{([^{}]*)\}/g;

/** `call_history_id` -> `callHistoryId`. */
function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** Path parameters under the template's names: snake_case keys become camelCase. */
function pathParams(names, path) {
  if (path === undefined || path === null) return undefined;
  if (typeof path !== 'object' || Array.isArray(path)) {
    throw invalidInput('invalid_path_param', '`path` must be an object of path parameters');
  }
  const out = {};
  let any = false;
  for (const [key, value] of Object.entries(path)) {
    if (value === undefined || value === null) continue;
    let name = key;
    if (names && !names.includes(key) && names.includes(camel(key))) name = camel(key);
    if (name in out && out[name] !== value) {
      throw invalidInput('conflicting_path_param', `path parameter ${JSON.stringify(name)} was given twice with different values`);
    }
    out[name] = value;
    any = true;
  }
  return any ? out : undefined;
}

/** The request JSON text of a call. */
function requestJson(path, request, options) {
  const req = {};
  if (path) req.path = path;
  const query = mergeQuery(request.query, options.query);
  if (query) req.query = query;
  if (request.body !== undefined) req.body = request.body;
  const files = filesWire(request.file, request.files);
  if (files) req.files = files;
  const timeout = options.timeout !== undefined ? options.timeout : request.timeout;
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw invalidInput('invalid_timeout', '`timeout` must be a positive number of milliseconds');
    }
    req.timeout_ms = Math.max(1, Math.round(timeout));
  }
  try {
    return JSON.stringify(req);
  } catch (e) {
    throw invalidInput('invalid_json', `the request cannot be sent as JSON: ${e.message}`);
  }
}

function mergeQuery(a, b) {
  for (const q of [a, b]) {
    if (q !== undefined && q !== null && (typeof q !== 'object' || Array.isArray(q))) {
      throw invalidInput('invalid_query', '`query` must be an object');
    }
  }
  if (!a && !b) return undefined;
  const out = {};
  for (const q of [a, b]) {
    if (!q) continue;
    for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The metadata JSON of a call as `{status, requestId, attempts, elapsedMs}`. */
function parseMeta(text) {
  if (!text) return null;
  try {
    const m = JSON.parse(text);
    return {
      status: Number.isInteger(m.status) ? m.status : null,
      requestId: typeof m.request_id === 'string' ? m.request_id : null,
      attempts: Number.isInteger(m.attempts) ? m.attempts : 0,
      elapsedMs: typeof m.elapsed_ms === 'number' ? m.elapsed_ms : 0,
    };
  } catch {
    return null;
  }
}

const HANDLE = Symbol('trillet.handle');

/**
 * Frees the native client of a handle that became unreachable without `close()`. The handle is
 * what every namespace and call holds, so once it is unreachable no call can be running with it.
 */
const finalizer = new FinalizationRegistry((held) => held.native.clientFree(held.ptr));

/** The shared state of a client and its `withRawResponse` view. */
class Handle {
  constructor(config) {
    const n = native();
    this.native = n;
    const err = [null];
    const ptr = n.clientNew(JSON.stringify(config), err);
    if (!ptr) {
      const e = errorFromText('invalid_input', takeString(err[0]));
      // The core names the C config key; a Node user passes the apiKey option.
      if (e.code === 'missing_api_key') e.message = 'no API key: pass apiKey to new Client() or set TRILLET_API_KEY';
      throw e;
    }
    this.ptr = ptr;
    this.address = addressOf(ptr);
    this.pool = getPool(n.path);
    this.inFlight = 0;
    this.closed = false;
    this.freed = false;
    this.drained = null;
    finalizer.register(this, { native: n, ptr }, this);
  }

  /** Runs one native call on the pool; resolves with the parsed result (or `{data, meta}`). */
  async invoke(message, signal, raw) {
    if (this.closed) {
      throw localError('cancelled', 'not_sent', 'the client is closed', RequestCancelledError);
    }
    if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
      throw invalidInput('invalid_signal', '`signal` must be an AbortSignal');
    }
    if (signal && signal.aborted) {
      throw new AbortError(
        { error: { kind: 'cancelled', code: 'not_sent', message: 'the signal was aborted before the call started' } },
        null,
        signal.reason,
      );
    }
    const n = this.native;
    let token = null;
    let onAbort = null;
    if (signal) {
      token = n.cancelNew();
      onAbort = () => n.cancel(token);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    this.inFlight += 1;
    let answer;
    try {
      message.client = this.address;
      message.cancel = token ? addressOf(token) : 0;
      answer = await this.pool.run(message);
    } finally {
      if (signal) signal.removeEventListener('abort', onAbort);
      if (token) n.cancelFree(token);
      this.inFlight -= 1;
      if (this.closed && this.inFlight === 0) this.free();
    }
    if (answer.status !== STATUS.OK) {
      const meta = parseMeta(answer.meta);
      if (answer.status === STATUS.CANCELLED && signal && signal.aborted) {
        let parsed = null;
        try {
          parsed = JSON.parse(answer.json);
        } catch {
          parsed = null;
        }
        throw new AbortError(parsed || { error: { kind: 'cancelled', code: 'maybe_sent' } }, meta, signal.reason);
      }
      throw errorFromText(STATUS_KINDS[answer.status] || 'panic', answer.json, meta);
    }
    let data;
    try {
      data = JSON.parse(answer.json);
    } catch (e) {
      throw localError('decode', 'invalid_response', `the library returned invalid JSON: ${e.message}`);
    }
    return raw ? { data, meta: parseMeta(answer.meta) } : data;
  }

  /** Closes the native client (calls in flight end with `cancelled`) and frees it once idle. */
  close() {
    if (!this.closed) {
      this.closed = true;
      this.native.clientClose(this.ptr);
    }
    if (this.inFlight === 0) this.free();
    if (!this.drained) {
      this.drained = new Promise((resolve) => {
        this.resolveDrained = resolve;
      });
      if (this.freed) this.resolveDrained();
    }
    return this.drained;
  }

  free() {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this);
    this.native.clientFree(this.ptr);
    this.ptr = null;
    if (this.resolveDrained) this.resolveDrained();
  }
}

/** What every call and namespace of a client (or its raw view) goes through. */
class Caller {
  constructor(handle, raw) {
    Object.defineProperty(this, HANDLE, { value: handle });
    this.raw = raw;
  }

  /** Calls `operation` with `request` (`{path, query, body, file, files}`) and `options`. */
  call(operation, request = {}, options = {}) {
    try {
      if (typeof operation !== 'string') throw invalidInput('invalid_argument', '`operation` must be a string');
      const r = request || {};
      const o = options || {};
      const op = OPERATIONS[operation];
      const json = requestJson(pathParams(op ? op.pathParams : null, r.path), r, o);
      return this[HANDLE].invoke({ kind: 'call', op: operation, request: json }, o.signal || r.signal, this.raw);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Sends `method` to any `path` (a template filled from `request.path`). */
  request(method, path, request = {}, options = {}) {
    try {
      if (typeof method !== 'string' || typeof path !== 'string') {
        throw invalidInput('invalid_argument', '`method` and `path` must be strings');
      }
      const r = request || {};
      const o = options || {};
      const names = [...path.matchAll(TEMPLATE_PARAM)].map((m) => m[1]);
      const json = requestJson(pathParams(names, r.pathParams || r.path_params), r, o);
      return this[HANDLE].invoke({ kind: 'request', method, path, request: json }, o.signal || r.signal, this.raw);
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/**
 * A Trillet API client. Settings come from the options (camelCase, generated from the library's
 * settings table), then `TRILLET_*` environment variables, then the defaults. Every method returns
 * a Promise and takes `{ signal, timeout }` last.
 */
class Client {
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') throw invalidInput('invalid_argument', 'the options must be an object');
    const config = settingsConfig(options);
    config.user_agent_suffix = config.user_agent_suffix ? `${USER_AGENT} ${config.user_agent_suffix}` : USER_AGENT;
    const handle = new Handle(config);
    const caller = new Caller(handle, false);
    Object.defineProperty(this, HANDLE, { value: handle });
    Object.defineProperty(this, '_caller', { value: caller });
    installResources(this, caller);
    const rawCaller = new Caller(handle, true);
    const rawView = {};
    installResources(rawView, rawCaller);
    rawView.call = rawCaller.call.bind(rawCaller);
    rawView.request = rawCaller.request.bind(rawCaller);
    /** The same namespaces, whose calls resolve to `{ data, meta }` (meta: status, requestId, attempts, elapsedMs). */
    this.withRawResponse = Object.freeze(rawView);
  }

  /** Calls an operation by id: `client.call("agents.get", { path: { agentId } })`. */
  call(operation, request, options) {
    return this._caller.call(operation, request, options);
  }

  /** Sends a request to any method and path (endpoints the table does not know yet). */
  request(method, path, request, options) {
    return this._caller.request(method, path, request, options);
  }

  /**
   * Closes the client: calls in flight end with `RequestCancelledError`, later calls fail at once.
   * Resolves once no call of this client runs any more and the native handle is freed.
   */
  close() {
    return this[HANDLE].close();
  }

  /** `await using client = new Client()`: closes it. */
  [Symbol.asyncDispose]() {
    return this.close();
  }

  /** Whether `close()` was called. */
  get closed() {
    return this[HANDLE].closed;
  }

  /** Never shows the API key. */
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `Client { closed: ${this.closed} }`;
  }

  toJSON() {
    return { closed: this.closed };
  }
}


module.exports = { Client, Caller, camel, parseMeta };
