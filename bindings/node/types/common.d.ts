/** What every method takes last. */
export interface RequestOptions {
  /** Aborting it cancels the call in the core; the promise then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Milliseconds allowed for this request, retries included (default: the client's `timeout`). */
  timeout?: number;
  /** More query parameters (merged with the method's own `query`). */
  query?: Record<string, unknown>;
}

/** A file to upload: a path, bytes, or a named part. */
export type FileInput =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | { path: string | URL; field?: string }
  | { filename?: string; data: Uint8Array | ArrayBuffer | string; contentType?: string; field?: string };

/**
 * The argument of an upload method: the file(s), and the form's other fields, typed by the
 * operation's request model (`Upload<StartBatch>`; `Record<string, unknown>` when it names none).
 */
export interface Upload<B = Record<string, unknown>> {
  /** The file (in the operation's file field). */
  file?: FileInput;
  /** More files. */
  files?: FileInput[];
  /** The form's other fields. */
  body?: B;
}

/** What the exchange took: from the last response, attempts sent, milliseconds from start to end. */
export interface ResponseMeta {
  /** The HTTP status of the last response (`null` when none arrived). */
  status: number | null;
  /** Its `x-request-id` (`null` when none arrived). */
  requestId: string | null;
  /** How many attempts were sent (`0` when refused before sending). */
  attempts: number;
  /** Milliseconds from the call's start to its end, retries included. */
  elapsedMs: number;
}

/** A result with its metadata (`client.withRawResponse`). */
export interface RawResponse<T> {
  data: T;
  meta: ResponseMeta;
}

/** The request of `client.call`: every key optional. */
export interface CallRequest {
  /** Path parameters, under the template's names (`agentId`) or in snake_case (`agent_id`). */
  path?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  file?: FileInput;
  files?: FileInput[];
  timeout?: number;
  signal?: AbortSignal;
}
