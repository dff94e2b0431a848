// One result per event of the batch, from what Directus answered to the writes
// (catalog-sync/answer-per-event.cjs): applied, stale or failed (with the reason).
const { judgeWrites, answerInOrder } = require('../catalog-sync/answer-per-event.cjs');

const planned = $('Plan the rest').all();
const verified = $('Verify signature').first().json;
const answers = planned[0].json.write ? $('Write to Directus').all() : [];
return answerInOrder(verified, judgeWrites({ verified, planned, answers }));
