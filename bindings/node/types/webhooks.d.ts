// Types of `trillet/webhooks` (also `webhooks` of the main entry).
import type { InvalidInputError } from '../index';

/** The raw request body. */
export type Body = Uint8Array | ArrayBuffer | string;
/** One secret, or several during a rotation. */
export type Secrets = string | readonly string[];
/** The request's headers (`req.headers`, a `Headers`, pairs) or the `X-Trillet-Signature` value. */
export type HeadersLike = string | Headers | ReadonlyArray<readonly [string, string]> | Record<string, string | string[] | undefined>;
export interface VerifyOptions {
  /** How far (seconds) a `standard` timestamp may be from now (default 300). */
  tolerance?: number;
}

export interface CallEventData {
  callId?: string;
  agentId?: string;
  workspaceId?: string;
  status?: string;
  direction?: string;
  type?: string;
  to?: string | null;
  from?: string | null;
  roomName?: string;
  metadata?: Record<string, unknown>;
}
export interface CallCompletedData extends CallEventData {
  duration?: number;
  endTime?: number;
  cost?: number;
  summary?: string;
  recordingUrl?: string | null;
}
export interface CallFailedData extends CallEventData {
  reason?: string;
  batchId?: string;
}
export interface SmsEventData {
  messageId?: string;
  conversationId?: string;
  flowId?: string;
  agentId?: string;
  workspaceId?: string;
  to?: string;
  message?: string;
  status?: string;
  metadata?: Record<string, unknown>;
}
export interface AgentEventData {
  agentId?: string;
  name?: string;
  agentType?: string;
  workspaceId?: string;
}
export interface FlowEventData {
  flowId?: string;
  name?: string;
  flowType?: string;
  agentId?: string;
  workspaceId?: string;
}

/** A verified webhook event, discriminated by `event`. */
export type WebhookEvent =
  | { event: 'call.started'; data: CallEventData }
  | { event: 'call.completed'; data: CallCompletedData }
  | { event: 'call.failed'; data: CallFailedData }
  | { event: 'sms.sent'; data: SmsEventData }
  | { event: 'sms.delivered'; data: SmsEventData }
  | { event: 'agent.created'; data: AgentEventData }
  | { event: 'agent.updated'; data: AgentEventData }
  | { event: 'flow.created'; data: FlowEventData }
  | { event: 'flow.updated'; data: FlowEventData };

export const SIGNATURE_HEADER: 'X-Trillet-Signature';
export const DEFAULT_TOLERANCE: 300;
/** The `X-Trillet-Signature` for `body` (hex HMAC-SHA256 keyed with the secret). */
export function sign(secret: string, body: Body): string;
/** The headers a sender adds (`standard` by default). */
export function signHeaders(secret: string, body: Body, options?: { scheme?: 'trillet' | 'standard'; id?: string; timestamp?: number }): Record<string, string>;
/** Whether the webhook verifies. */
export function verify(secret: Secrets, body: Body, headers: HeadersLike, options?: VerifyOptions): boolean;
/** Verifies and says how: throws `WebhookSignatureError` naming the failed check. */
export function verifyHeaders(secret: Secrets, body: Body, headers: HeadersLike, options?: VerifyOptions): { scheme: 'trillet' | 'standard'; id: string | null; timestamp: number | null };
/** Verifies, then parses the payload into a typed event. */
export function constructEvent(secret: Secrets, body: Body, headers: HeadersLike, options?: VerifyOptions): WebhookEvent;
export class WebhookSignatureError extends InvalidInputError {}
