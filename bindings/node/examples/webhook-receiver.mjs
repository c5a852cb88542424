// A webhook receiver on plain node:http: verifies every POST with trillet's verifier (either
// signing scheme) over the raw body bytes, then handles the typed event.
//
//   TRILLET_WEBHOOK_SECRET=whsec_... node examples/webhook-receiver.mjs [port]
import { createServer } from 'node:http';
import { webhooks } from 'trillet';

/** Makes the server (exported for the tests); `onEvent` gets each verified event. */
export function receiver(secret, onEvent = () => {}) {
  return createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks); // the raw bytes, never a re-serialized object
      let event;
      try {
        event = webhooks.constructEvent(secret, body, req.headers);
      } catch (e) {
        if (!(e instanceof webhooks.WebhookSignatureError)) throw e;
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.code }));
        return;
      }
      if (event.event === 'call.completed') console.log('call', event.data.callId, 'took', event.data.duration, 's');
      onEvent(event);
      res.writeHead(200).end();
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.TRILLET_WEBHOOK_SECRET;
  if (!secret) throw new Error('set TRILLET_WEBHOOK_SECRET');
  const port = Number(process.argv[2] || 8080);
  receiver(secret).listen(port, () => console.log(`listening on http://127.0.0.1:${port}/`));
}
