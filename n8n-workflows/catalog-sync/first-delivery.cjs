'use strict';
// The First delivery node of each catalog-sync version (`pnpm n8n:build` inlines this file where
// a node requires it; edit it here, never in n8n).

/**
 * A batch is applied once per webhook-id: the receipt Directus just stored (its primary key is
 * the id) is what makes a captured batch, sent again within the signature's 5 minutes, a replay.
 * Given Directus's full response to the receipt and Verify signature's output, returns the node's
 * items: the verified batch to apply, or a 409 refusal when Directus refused the key as taken
 * (this id was received before). Any other refusal is Directus failing: it throws, and the run
 * fails so that the dispatcher delivers the batch again.
 */
function firstDelivery(receipt, verified) {
  if (receipt.statusCode >= 200 && receipt.statusCode < 300) return [{ json: verified }];
  const codes = ((receipt.body && receipt.body.errors) || []).map(
    (error) => error.extensions && error.extensions.code,
  );
  if (codes.includes('RECORD_NOT_UNIQUE')) {
    return [
      {
        json: {
          ok: false,
          status: 409,
          message: 'this webhook-id was received before: a replayed batch is not applied',
          requestId: verified.requestId,
        },
      },
    ];
  }
  throw new Error(
    `Directus did not store the webhook receipt (${receipt.statusCode}): ${JSON.stringify(receipt.body).slice(0, 300)}`,
  );
}

module.exports = { firstDelivery };
