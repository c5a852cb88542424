// `trillet/webhooks` as an ES module (the same functions as `require('trillet/webhooks')`).
import webhooks from './lib/webhooks.cjs';

export const { SIGNATURE_HEADER, DEFAULT_TOLERANCE, sign, signHeaders, verify, verifyHeaders, constructEvent, WebhookSignatureError } =
  webhooks;
export default webhooks;
