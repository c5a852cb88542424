// Types of the `trillet` package (CommonJS and ES module entries alike).
import type { RequestOptions, RawResponse, ResponseMeta, CallRequest, FileInput, Upload } from './types/common';
import type { Resources, ClientOptions, OperationId, OperationPathParams, OperationResults } from './types/operations.gen';
import * as webhooks from './types/webhooks';

export * from './types/models.gen';
export type { RequestOptions, RawResponse, ResponseMeta, CallRequest, FileInput, Upload, ClientOptions, OperationId, OperationPathParams, OperationResults, Resources };
export { webhooks };

/** The namespaces of a raw view: each method resolves to `{ data, meta }`. */
export type RawResources<R> = {
  readonly [K in keyof R]: {
    [M in keyof R[K]]: R[K][M] extends (...args: infer A) => Promise<infer T> ? (...args: A) => Promise<RawResponse<T>> : R[K][M];
  };
};

/** The shared error JSON's fields. */
export interface ErrorJson {
  error: {
    kind: string;
    code: string;
    message: string;
    status: number | null;
    request_id: string | null;
    retry_after: number | null;
    body: unknown;
  };
}

/**
 * A Trillet API client. Options left out fall back to `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID`,
 * `TRILLET_BASE_URL` (unless `ignoreEnv`), then the defaults. Every method returns a Promise that
 * never blocks the event loop (the call runs on a thread of the package's pool) and takes
 * `{ signal, timeout }` last.
 */
export interface Client extends Resources {}
export class Client {
  constructor(options?: ClientOptions);
  /** The same namespaces, whose calls resolve to `{ data, meta }`. */
  readonly withRawResponse: RawResources<Resources> & {
    call<K extends OperationId>(operation: K, request?: CallRequest, options?: RequestOptions): Promise<RawResponse<OperationResults[K]>>;
    call<T = unknown>(operation: string, request?: CallRequest, options?: RequestOptions): Promise<RawResponse<T>>;
    request<T = unknown>(method: string, path: string, request?: CallRequest & { pathParams?: Record<string, string | number> }, options?: RequestOptions): Promise<RawResponse<T>>;
  };
  /** Calls an operation by id: `client.call("agents.get", { path: { agentId } })` (typed by the id). */
  call<K extends OperationId>(operation: K, request?: CallRequest, options?: RequestOptions): Promise<OperationResults[K]>;
  /** Calls an operation by id, with the result type given. */
  call<T = unknown>(operation: string, request?: CallRequest, options?: RequestOptions): Promise<T>;
  /** Sends a request to any method and path (a template filled from `request.pathParams`). */
  request<T = unknown>(method: string, path: string, request?: CallRequest & { pathParams?: Record<string, string | number> }, options?: RequestOptions): Promise<T>;
  /** Closes the client: calls in flight end with `RequestCancelledError`; resolves once none runs. */
  close(): Promise<void>;
  /** `await using client = new Client()`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** Whether `close()` was called. */
  readonly closed: boolean;
}

/** A failed call. Every error the package throws for a call is one of these. */
export class TrilletError extends Error {
  constructor(errorJson: ErrorJson, meta?: ResponseMeta | null);
  /** `api`, `timeout`, `connect`, `io`, `decode`, `invalid_input`, `cancelled` or `panic`. */
  readonly kind: string;
  /** The API's code when it sent one, else a stable code of ours. */
  readonly code: string;
  /** The HTTP status of an API error, else `null`. */
  readonly status: number | null;
  /** The `x-request-id` of the response, when one arrived. */
  readonly requestId: string | null;
  /** Seconds to wait before trying again, when the API said so. */
  readonly retryAfter: number | null;
  /** The API's error body. */
  readonly body: unknown;
  /** The whole error JSON. */
  readonly json: ErrorJson;
  /** The exchange's metadata, when known. */
  readonly meta: ResponseMeta | null;
}
/** The API answered with a non-2xx status (`kind` `api`). */
export class APIError extends TrilletError {}
/** 400: the API refused the request as malformed. */
export class BadRequestError extends APIError {}
/** 401: the API key is missing or wrong. */
export class AuthenticationError extends APIError {}
/** 403: the key may not do this (or not in this workspace). */
export class PermissionDeniedError extends APIError {}
/** 404: the id does not exist (or is not visible to this workspace). */
export class NotFoundError extends APIError {}
/** 409: the request conflicts with the current state. */
export class ConflictError extends APIError {}
/** 422: the request was well-formed but its content was refused. */
export class UnprocessableEntityError extends APIError {}
/** 429: too many requests; `retryAfter` says how long to wait when the API said so. */
export class RateLimitError extends APIError {}
/** A 5xx status: the API failed (after the retries the client may make). */
export class InternalServerError extends APIError {}
/** The request did not complete within its deadline (`kind` `timeout`). */
export class APITimeoutError extends TrilletError {}
/** No connection could be made (`kind` `connect`); nothing was sent. */
export class APIConnectionError extends TrilletError {}
/** The connection broke after the request may have been sent (`kind` `io`). */
export class TransportError extends TrilletError {}
/** A 2xx response whose body is not valid JSON (`kind` `decode`). */
export class DecodeError extends TrilletError {}
/** Refused before anything was sent (`kind` `invalid_input`). */
export class InvalidInputError extends TrilletError {}
/** A bug inside the library was caught at its boundary (`kind` `panic`). */
export class InternalError extends TrilletError {}
/** A webhook was refused: `code` names the failed check. */
export class WebhookSignatureError extends InvalidInputError {}
/** The call was stopped (`client.close()` or a signal): `code` is `not_sent` or `maybe_sent`. */
export class RequestCancelledError extends TrilletError {
  readonly maybeSent: boolean;
}
/** The call was stopped by its `AbortSignal` (`name === "AbortError"`); `cause` is the signal's reason. */
export class AbortError extends RequestCancelledError {
  readonly name: 'AbortError';
}

/** Sizes the process-wide pool of call threads. */
export function configurePool(options?: { maxThreads?: number; idleTimeoutMs?: number }): { maxThreads: number; idleTimeoutMs: number };
/** The pool's numbers: threads alive, busy, calls queued, threads started so far. */
export function poolStats(): { threads: number; busy: number; queued: number; started: number };
/** The version of the loaded native library. */
export function version(): string;
/** The operations catalog of the loaded library. */
export function operations(): { version: string; operations: Array<Record<string, unknown>>; settings: Array<Record<string, unknown>> };
/** The path of the native library this package loads. */
export function libraryFile(): string;
/** Every operation id with its path parameters, method and path. */
export const OPERATIONS: { readonly [id: string]: { readonly pathParams: readonly string[]; readonly method: string; readonly path: string } };
/** The client options table. */
export const SETTINGS: ReadonlyArray<{ readonly option: string; readonly key: string; readonly kind: string; readonly zeroAllowed: boolean }>;

declare const trillet: typeof import('./index');
export default trillet;
