// One result per event of the batch, from what Directus answered to the writes
// (catalog-sync/answer-per-event.cjs): applied, stale or failed (with the reason).
//
// A product event whose product is applied is `failed` if a write of one of its variants was
// refused by Directus or left an older variant than it wrote, so that it is delivered again. A
// variant that comes back newer, or not at all (a newer delete of it, or of its product), is
// fine: a newer event holds it.
const {
  rowsOf,
  refusal,
  answered,
  answerOf,
  judgeWrites,
  answerInOrder,
} = require('../catalog-sync/answer-per-event.cjs');

const planned = $('Plan the rest').all();
const verified = $('Verify signature').first().json;
const write = planned[0].json.write;
const answers = write ? $('Write to Directus').all() : [];
const results = judgeWrites({ verified, planned, answers });

if (write) {
  const fail = (id, error) => {
    if (results[id] && results[id].status === 'applied') results[id] = { id, status: 'failed', error };
  };
  // A request of variants is judged after the products': it can only fail an applied event.
  const judgeVariants = (request, answer) => {
    const status = answered(answer, request);
    if (status >= 300) {
      const error = refusal(answer, status);
      for (const id of request.events) fail(id, `variants: ${error}`);
      return;
    }
    const returned = rowsOf(answer.body && answer.body.data);
    request.body.forEach((row, position) => {
      const held = returned.get(row.id);
      if (held && Number(held.version) < row.version) {
        fail(request.events[position], `Directus holds version ${held.version} of ${row.id} after the write`);
      }
    });
  };
  planned.forEach((request, index) => {
    if (request.json.variants) judgeVariants(request.json, answerOf(answers, index));
  });

  const variantRequests = $('Plan variants').all();
  if (variantRequests[0].json.write) {
    const written = $('Write variants').all();
    variantRequests.forEach((request, index) => judgeVariants(request.json, answerOf(written, index)));
  }
}
return answerInOrder(verified, results);
