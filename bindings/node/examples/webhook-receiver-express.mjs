// A webhook receiver on Express: `express.raw()` keeps the body as the bytes that arrived (a
// Buffer), which is what the signature covers. (express.json() would parse it, and a re-serialized
// object does not verify.)
//
//   TRILLET_WEBHOOK_SECRET=whsec_... node examples/webhook-receiver-express.mjs [port]
import express from 'express';
import { webhooks } from 'trillet';

/** Makes the app (exported for the tests); `onEvent` gets each verified event. */
export function app(secret, onEvent = () => {}) {
  const server = express();
  server.post('/webhooks/trillet', express.raw({ type: '*/*' }), (req, res) => {
    let event;
    try {
      event = webhooks.constructEvent(secret, req.body, req.headers);
    } catch (e) {
      if (!(e instanceof webhooks.WebhookSignatureError)) throw e;
      res.status(400).json({ error: e.code });
      return;
    }
    if (event.event === 'call.completed') console.log('call', event.data.callId, 'took', event.data.duration, 's');
    onEvent(event);
    res.sendStatus(200);
  });
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.TRILLET_WEBHOOK_SECRET;
  if (!secret) throw new Error('set TRILLET_WEBHOOK_SECRET');
  const port = Number(process.argv[2] || 8080);
  app(secret).listen(port, () => console.log(`listening on http://127.0.0.1:${port}/webhooks/trillet`));
}
