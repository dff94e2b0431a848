// Applies a batch once per webhook-id (catalog-sync/first-delivery.cjs): the input is Directus's
// answer to the receipt of this webhook-id.
const { firstDelivery } = require('../catalog-sync/first-delivery.cjs');

return firstDelivery($input.first().json, $('Verify signature').first().json);
