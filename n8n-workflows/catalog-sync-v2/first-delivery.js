// A batch is applied once per webhook-id: the receipt Directus just stored (its primary key is the
// id) is what makes a captured batch, sent again within the signature's 5 minutes, a replay.
// Directus refusing the key as taken means this id was received before; any other refusal is
// Directus failing, and the run fails so that the dispatcher delivers the batch again.
const receipt = $input.first().json;
const verified = $('Verify signature').first().json;
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
