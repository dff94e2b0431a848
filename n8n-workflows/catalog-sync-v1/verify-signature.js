// Checks that the batch comes from Lapak's worker: Standard Webhooks, HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>" with the shared secret, and a timestamp within 5
// minutes of now. The check is the worker's own (standard-webhooks.cjs, inlined here by
// `pnpm n8n:build` with the modules the flows share), so what the worker signs and what the flow
// accepts cannot drift apart. The secret comes from n8n's environment (LAPAK_WEBHOOK_SECRET),
// never from this file.
const { checkWebhook } = require('../../worker/src/sync/standard-webhooks.cjs');
const { readSignedBatch } = require('../shared/signed-batch.cjs');
const {
  catalogEventTypes,
  hasCatalogAggregate,
  categoriesToRead,
} = require('../catalog-sync/verify-signature.cjs');

const batch = readSignedBatch({
  checkWebhook,
  secret: $env.LAPAK_WEBHOOK_SECRET,
  item: $input.first(),
  types: catalogEventTypes,
  isValid: (event) => hasCatalogAggregate(event) && event.data && typeof event.data === 'object',
  refusal: 'not a valid catalog event (schemaVersion 1)',
});
if (!batch.ok) return [{ json: batch }];

// One read of Directus: which of the categories this batch points at it holds. No version is
// read: the version fence in Directus's database decides every write where it lands.
const query = {
  query:
    'query Categories($categories: [ID]) { categories(filter: { id: { _in: $categories } }, limit: -1) { id } }',
  variables: { categories: categoriesToRead(batch.events) },
};
return [{ json: { ...batch, query } }];
