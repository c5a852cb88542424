'use strict';
/**
 * The errors: `TrilletError` carries the fields of the error JSON every language shares
 * (`{"error":{"kind","code","message","status","request_id","retry_after","body"}}`), and one
 * subclass per error kind, and per HTTP status family for API errors, as in the Python binding.
 * Messages never contain the API key: the library never echoes it and this module only repeats
 * what the library said.
 */

/** A failed call. Catch this to catch every error of the package. */
class TrilletError extends Error {
  /**
   * @param {object} errorJson the shared error JSON (`{"error": {...}}`)
   * @param {object} [meta] the exchange's metadata, when known
   */
  constructor(errorJson, meta) {
    const inner = errorJson && typeof errorJson.error === 'object' && errorJson.error !== null ? errorJson.error : {};
    const kind = typeof inner.kind === 'string' && inner.kind ? inner.kind : 'panic';
    const code = typeof inner.code === 'string' && inner.code ? inner.code : kind;
    const message = typeof inner.message === 'string' ? inner.message : '';
    const status = Number.isInteger(inner.status) ? inner.status : null;
    const requestId = typeof inner.request_id === 'string' ? inner.request_id : null;
    super(message || describe(kind, status, code, '', requestId));
    Object.defineProperty(this, 'name', { value: new.target.name, writable: true, configurable: true, enumerable: false });
    /** `api`, `timeout`, `connect`, `io`, `decode`, `invalid_input`, `cancelled` or `panic`. */
    this.kind = kind;
    /** The API's code when it sent one, else a stable code of ours. */
    this.code = code;
    /** The HTTP status of an API error, else `null`. */
    this.status = status;
    /** The `x-request-id` of the response, when one arrived. */
    this.requestId = requestId;
    /** Seconds to wait before trying again, when the API said so (a 429 or 503). */
    this.retryAfter = typeof inner.retry_after === 'number' ? inner.retry_after : null;
    /** The API's error body (parsed JSON), or a snippet of a body that was not JSON. */
    this.body = inner.body === undefined ? null : inner.body;
    /** The whole error JSON. */
    this.json = { error: { ...inner } };
    /** The exchange's metadata (`{status, requestId, attempts, elapsedMs}`), when known. */
    this.meta = meta || null;
  }

  /** `Name: kind status (code): message [request id]`. */
  toString() {
    return `${this.name}: ${describe(this.kind, this.status, this.code, this.message, this.requestId)}`;
  }
}

function describe(kind, status, code, message, requestId) {
  let head = kind;
  if (status !== null) head += ` ${status}`;
  head += ` (${code})`;
  let text = message ? `${head}: ${message}` : head;
  if (requestId) text += ` [request ${requestId}]`;
  return text;
}

/** The API answered with a non-2xx status (`kind` `api`); see `status` and `code`. */
class APIError extends TrilletError {}
/** 400: the API refused the request as malformed (`code` says why). */
class BadRequestError extends APIError {}
/** 401: the API key is missing or wrong. */
class AuthenticationError extends APIError {}
/** 403: the key is valid but may not do this (or not in this workspace). */
class PermissionDeniedError extends APIError {}
/** 404: the id does not exist (or is not visible to this workspace). */
class NotFoundError extends APIError {}
/** 409: the request conflicts with the current state. */
class ConflictError extends APIError {}
/** 422: the request was well-formed but its content was refused. */
class UnprocessableEntityError extends APIError {}
/** 429: too many requests; `retryAfter` says how long to wait when the API said so. */
class RateLimitError extends APIError {}
/** A 5xx status: the API failed (after the retries the client may make). */
class InternalServerError extends APIError {}
/** The request did not complete within its deadline (`kind` `timeout`). */
class APITimeoutError extends TrilletError {}
/** No connection could be made (`kind` `connect`); nothing was sent. */
class APIConnectionError extends TrilletError {}
/** The connection broke after the request may have been sent (`kind` `io`). */
class TransportError extends TrilletError {}
/** A 2xx response whose body is not valid JSON (`kind` `decode`). */
class DecodeError extends TrilletError {}
/** Refused before anything was sent (`kind` `invalid_input`). */
class InvalidInputError extends TrilletError {}
/** A bug inside the library was caught at its boundary (`kind` `panic`). */
class InternalError extends TrilletError {}
/** A webhook was refused: `code` names the check that failed. */
class WebhookSignatureError extends InvalidInputError {}

/**
 * The call was stopped before it completed (`kind` `cancelled`), by `client.close()` or an
 * `AbortSignal`. `code` is `not_sent` (nothing reached the API: safe to send again) or
 * `maybe_sent` (the API may have acted on it).
 */
class RequestCancelledError extends TrilletError {
  /** Whether the API may have acted on the request (`code` `maybe_sent`). */
  get maybeSent() {
    return this.code !== 'not_sent';
  }
}

/**
 * The call was stopped by its `AbortSignal`: `name` is `"AbortError"` (what `fetch` rejects
 * with), `code` `not_sent` or `maybe_sent`, `cause` the signal's reason. Thrown only once the
 * core call has ended.
 */
class AbortError extends RequestCancelledError {
  constructor(errorJson, meta, reason) {
    super(errorJson, meta);
    Object.defineProperty(this, 'name', { value: 'AbortError', writable: true, configurable: true, enumerable: false });
    if (reason !== undefined) this.cause = reason;
  }
}

const BY_KIND = {
  api: APIError,
  timeout: APITimeoutError,
  connect: APIConnectionError,
  io: TransportError,
  decode: DecodeError,
  invalid_input: InvalidInputError,
  cancelled: RequestCancelledError,
  panic: InternalError,
};

const BY_STATUS = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The class for an error `kind` (and HTTP `status` for API errors). */
function errorClass(kind, status) {
  if (kind === 'api' && Number.isInteger(status)) {
    if (BY_STATUS[status]) return BY_STATUS[status];
    if (status >= 500) return InternalServerError;
  }
  return BY_KIND[kind] || InternalError;
}

function localJson(kind, code, message) {
  return { error: { kind, code, message, status: null, request_id: null, retry_after: null, body: null } };
}

/** The error for the error JSON text the library returned with a non-zero status. */
function errorFromText(statusKind, text, meta) {
  let parsed = null;
  try {
    parsed = text === null ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed.error !== 'object' || parsed.error === null) {
    parsed = localJson('panic', 'invalid_error_json', `the library reported a ${statusKind} error without a readable error JSON`);
  }
  const kind = typeof parsed.error.kind === 'string' ? parsed.error.kind : statusKind;
  const Cls = errorClass(kind, parsed.error.status);
  return new Cls(parsed, meta);
}

/** An error of `kind` raised by the binding itself, in the shared shape. */
function localError(kind, code, message, Cls) {
  const C = Cls || errorClass(kind, null);
  return new C(localJson(kind, code, message));
}

/** An `invalid_input` error raised by the binding itself. */
function invalidInput(code, message, Cls) {
  return localError('invalid_input', code, message, Cls || InvalidInputError);
}

module.exports = {
  TrilletError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APITimeoutError,
  APIConnectionError,
  TransportError,
  DecodeError,
  InvalidInputError,
  InternalError,
  WebhookSignatureError,
  RequestCancelledError,
  AbortError,
  errorClass,
  errorFromText,
  localError,
  invalidInput,
};
