// One result per event of the batch for the worker's delivery log: `applied` once its mail went
// out, `stale` if it was handled before, `failed` (retried by the worker) if it was refused or
// the mail server would not take its mail. The events answered `applied` are remembered, so a
// redelivery of one sends no second mail. The input is the Send email node's.
const { answerBatch } = require('../automation/domain-batch.cjs');

return answerBatch({
  staticData: $getWorkflowStaticData('global'),
  invalid: $('Verify signature').first().json.invalid,
  rendered: $('Render emails').all(),
  sent: $input.all(),
});
