// One result per event of the batch for the worker's delivery log: `applied` once its mail went
// out, `stale` if it was handled before, `failed` (retried by the worker) if it was refused or
// the mail server would not take its mail. The events answered `applied` are remembered, so a
// redelivery of one sends no second mail.
const { answerBatch } = require('../automation/domain-batch.cjs');

const batch = $('Verify signature').first().json;
const rendered = $('Render alerts').all();
const skipped = rendered[0].json.skipped;
// From the Send alert node, one item per mail in the order rendered (an error item for a mail
// the server refused); straight from the renderer when there was nothing to send.
const sent =
  rendered[0].json.send === false
    ? []
    : $input.all().map((item, index) => ({
        eventId: rendered[index].json.eventId,
        error: item.json.error ? item.json.error.message || item.json.error : undefined,
      }));

const results = answerBatch({
  staticData: $getWorkflowStaticData('global'),
  invalid: batch.invalid,
  skipped,
  sent,
});
return [{ json: { results } }];
