// The ES module entry: the same objects as the CommonJS entry (one copy of every class, so
// `instanceof` holds whichever way the package was loaded).
import trillet from './index.cjs';

export const {
  Client,
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
  webhooks,
  configurePool,
  poolStats,
  version,
  operations,
  libraryFile,
  OPERATIONS,
  SETTINGS,
} = trillet;
export default trillet;
