'use strict';
/**
 * Webhooks: verify what Trillet (or the sandbox) sent, parse it into a typed event, or sign one,
 * over the native library's one verifier. Two schemes, picked from the headers present:
 * `trillet` (`X-Trillet-Signature`: hex HMAC-SHA256 of the raw body) and `standard` (Standard
 * Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`). Always pass the raw body
 * bytes (`Buffer`/`Uint8Array`, or the exact text), never a re-serialized object.
 */
const { native, takeString, STATUS } = require('./native.cjs');
const { WebhookSignatureError, errorFromText, invalidInput } = require('./errors.cjs');

/** The header of the `trillet` scheme. */
const SIGNATURE_HEADER = 'X-Trillet-Signature';
/** How far (seconds) a `standard` timestamp may be from now, by default. */
const DEFAULT_TOLERANCE = 300;

function bodyBytes(body) {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw invalidInput(
    'invalid_payload',
    'the webhook body must be the raw request body (a Buffer, Uint8Array, ArrayBuffer or string), not a parsed object',
    WebhookSignatureError,
  );
}

function secretsJson(secrets) {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  if (!list.length || !list.every((s) => typeof s === 'string')) {
    throw invalidInput('missing_secret', 'the webhook secret must be a string (or an array of strings)', WebhookSignatureError);
  }
  return JSON.stringify(Array.isArray(secrets) ? secrets : secrets);
}

/**
 * The headers as the JSON the library takes: a plain object (`req.headers` of `node:http`, array
 * values joined), a `Headers` (fetch), an array of pairs, or the `X-Trillet-Signature` value alone.
 */
function headersJson(headers) {
  if (typeof headers === 'string') return JSON.stringify({ [SIGNATURE_HEADER]: headers });
  if (headers && typeof headers.entries === 'function' && typeof headers.get === 'function') {
    return JSON.stringify([...headers.entries()]);
  }
  if (Array.isArray(headers)) return JSON.stringify(headers.map(([k, v]) => [String(k), String(v)]));
  if (headers && typeof headers === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || v === null) continue;
      out[k] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    return JSON.stringify(out);
  }
  throw invalidInput('invalid_argument', 'headers must be an object, a Headers, pairs, or the signature string', WebhookSignatureError);
}

function tolerance(value) {
  if (value === undefined || value === null) return -1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidInput('invalid_argument', 'tolerance must be a number of seconds >= 0', WebhookSignatureError);
  }
  return Math.floor(value);
}

function refused(text) {
  const e = errorFromText('invalid_input', text);
  const w = new WebhookSignatureError(e.json);
  return w;
}

function check(construct, secrets, body, headers, options = {}) {
  const n = native();
  const data = bodyBytes(body);
  const out = [null];
  const fn = construct ? n.webhookConstructEvent : n.webhookVerifyHeaders;
  const status = fn(secretsJson(secrets), headersJson(headers), data, data.length, tolerance(options.tolerance), out);
  const text = takeString(out[0]);
  if (status !== STATUS.OK || text === null) throw refused(text);
  return text;
}

/**
 * Checks a webhook's signature (either scheme; several secrets during a rotation) and returns
 * `{ scheme, id, timestamp }`; throws `WebhookSignatureError` whose `code` names the failed check.
 */
function verifyHeaders(secret, body, headers, options) {
  return JSON.parse(check(false, secret, body, headers, options));
}

/** Whether the webhook verifies (`false` for any refusal; `verifyHeaders` says why). */
function verify(secret, body, headers, options) {
  try {
    check(false, secret, body, headers, options);
    return true;
  } catch (e) {
    if (e instanceof WebhookSignatureError) return false;
    throw e;
  }
}

/** Verifies the webhook, then parses the payload `{"event": "...", "data": {...}}` into an event. */
function constructEvent(secret, body, headers, options) {
  const event = JSON.parse(check(true, secret, body, headers, options));
  if (!('data' in event)) event.data = null;
  return event;
}

/** The `X-Trillet-Signature` Trillet sends for `body`: lower-case hex HMAC-SHA256 keyed with `secret`. */
function sign(secret, body) {
  if (typeof secret !== 'string' || !secret) {
    throw invalidInput('missing_secret', 'the webhook secret must be a non-empty string', WebhookSignatureError);
  }
  const data = bodyBytes(body);
  const text = takeString(native().webhookSign(secret, data, data.length));
  if (text === null) throw invalidInput('missing_secret', 'the webhook secret was refused', WebhookSignatureError);
  return text;
}

/**
 * Every header a sender adds for `body`: `{ "X-Trillet-Signature" }` (`scheme: "trillet"`) or
 * `{ "webhook-id", "webhook-timestamp", "webhook-signature" }` (`"standard"`, the default; `id`
 * defaults to a fresh `msg_...`, `timestamp` to now, in Unix seconds).
 */
function signHeaders(secret, body, options = {}) {
  if (typeof secret !== 'string' || !secret) {
    throw invalidInput('missing_secret', 'the webhook secret must be a non-empty string', WebhookSignatureError);
  }
  const { scheme = 'standard', id = null, timestamp } = options;
  if (timestamp !== undefined && (!Number.isInteger(timestamp) || timestamp < 0)) {
    throw invalidInput('invalid_argument', 'timestamp must be Unix seconds (an integer >= 0)', WebhookSignatureError);
  }
  const data = bodyBytes(body);
  const out = [null];
  const status = native().webhookSignHeaders(secret, String(scheme), id, timestamp === undefined ? -1 : timestamp, data, data.length, out);
  const text = takeString(out[0]);
  if (status !== STATUS.OK || text === null) throw refused(text);
  return JSON.parse(text);
}

module.exports = {
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE,
  sign,
  signHeaders,
  verify,
  verifyHeaders,
  constructEvent,
  WebhookSignatureError,
};
