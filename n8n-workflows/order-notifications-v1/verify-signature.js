// Checks that the batch comes from Lapak's worker (Standard Webhooks: HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>" with the shared secret, a timestamp within 5
// minutes) with the worker's own check, and keeps the order events apart from anything else.
// Both modules are inlined here by `pnpm n8n:build`; change them in their files, never in n8n.
const { checkWebhook } = require('../../worker/src/sync/standard-webhooks.cjs');
const { readSignedBatch } = require('../shared/signed-batch.cjs');

const types = ['order.awaiting_payment', 'order.confirmed', 'order.failed', 'order.cancelled'];
return [
  {
    json: readSignedBatch({ checkWebhook, secret: $env.LAPAK_WEBHOOK_SECRET, item: $input.first(), types }),
  },
];
