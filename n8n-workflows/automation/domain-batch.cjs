'use strict';
// What every automation flow does with a batch of domain events (docs/automation.md), shared by
// their Code nodes (`pnpm n8n:build` inlines this file where a node requires it; edit it here,
// never in n8n): render one mail per event, and answer one result per event, remembering the
// events handled so that a redelivery of one is answered `stale` instead of acted on twice. The
// batch itself is read by shared/signed-batch.cjs.

/** How long an event is remembered as handled: longer than the dispatcher retries it. */
const rememberMs = 7 * 24 * 3600 * 1000;

/**
 * Whether an event was handled before, by the flow's static data (`$getWorkflowStaticData`),
 * which n8n keeps with the workflow after each production execution.
 */
function handledBefore(staticData, eventId) {
  return Boolean(staticData.handled && staticData.handled[eventId]);
}

/** A template with each `{key}` of `values` filled in; an unknown key stays as it is. */
const fill = (template, values) =>
  String(template || '').replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));

/**
 * The renderer's items: one per mail to send (`{send: true, eventId, to, subject, text,
 * skipped}`), or `{send: false, skipped}` when there is none. An event handled before gets no
 * mail and is `skipped` as `stale`; `mailOf(event)` makes the mail of any other
 * (`{to, subject, text}`), or says why it has none (`{error}`: skipped as `failed`).
 */
function renderMails({ events, staticData, mailOf }) {
  const mails = [];
  const skipped = [];
  for (const event of events) {
    if (handledBefore(staticData, event.id)) {
      skipped.push({ id: event.id, status: 'stale' });
      continue;
    }
    const mail = mailOf(event);
    if (mail.error) skipped.push({ id: event.id, status: 'failed', error: mail.error });
    else mails.push({ send: true, eventId: event.id, ...mail });
  }
  if (mails.length === 0) return [{ json: { send: false, skipped } }];
  return mails.map((mail) => ({ json: { ...mail, skipped } }));
}

/**
 * The answer's item: one result per event of the batch, the refused ones (`invalid`) `failed`,
 * the skipped ones as the renderer said, and each sent one `applied`, or `failed` with the mail
 * server's error. `rendered` is the renderer's output; `sent` the send node's, one item per mail
 * in the order rendered (an error item for a mail the server refused), or the renderer's own
 * when there was nothing to send. The events answered `applied` are remembered as handled, and
 * entries older than a week forgotten.
 */
function answerBatch({ staticData, invalid, rendered, sent, now = Date.now() }) {
  staticData.handled = staticData.handled || {};
  const mails =
    rendered[0].json.send === false
      ? []
      : sent.map((item, index) => ({
          eventId: rendered[index].json.eventId,
          error: item.json.error ? item.json.error.message || item.json.error : undefined,
        }));
  const results = [...invalid, ...rendered[0].json.skipped];
  const failedEvents = new Map();
  for (const mail of mails) if (mail.error) failedEvents.set(mail.eventId, String(mail.error));
  const seen = new Set();
  for (const mail of mails) {
    if (seen.has(mail.eventId)) continue;
    seen.add(mail.eventId);
    if (failedEvents.has(mail.eventId)) {
      results.push({ id: mail.eventId, status: 'failed', error: failedEvents.get(mail.eventId) });
    } else {
      staticData.handled[mail.eventId] = now;
      results.push({ id: mail.eventId, status: 'applied' });
    }
  }
  for (const [id, at] of Object.entries(staticData.handled)) {
    if (now - at > rememberMs) delete staticData.handled[id];
  }
  return [{ json: { results } }];
}

module.exports = { fill, renderMails, answerBatch };
