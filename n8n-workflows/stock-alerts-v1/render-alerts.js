// One email per stock.low event, to the shop (LAPAK_SHOP_ALERT_EMAIL in n8n's environment), from
// the shop owner's templates (the "Alert template" node: edit the texts there). A template names
// what it shows in braces: {shop}, {name}, {sku}, {stock}, {threshold}, {productId}. An event
// this flow handled before (a redelivery) gets no second mail and is answered `stale`.
const { handledBefore } = require('../automation/domain-batch.cjs');

const batch = $('Verify signature').first().json;
const templates = $input.first().json;
const staticData = $getWorkflowStaticData('global');
const to = $env.LAPAK_SHOP_ALERT_EMAIL;

const fill = (template, values) =>
  String(template || '').replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));

const mails = [];
const skipped = [];
for (const event of batch.events) {
  if (handledBefore(staticData, event.id)) {
    skipped.push({ id: event.id, status: 'stale' });
    continue;
  }
  if (!to) {
    skipped.push({
      id: event.id,
      status: 'failed',
      error: 'LAPAK_SHOP_ALERT_EMAIL is not set in the environment of n8n',
    });
    continue;
  }
  const values = { ...event.data, shop: event.data.shop.name };
  mails.push({
    send: true,
    eventId: event.id,
    to,
    subject: fill(templates.subject, values),
    text: fill(templates.body, values),
  });
}
if (mails.length === 0) return [{ json: { send: false, skipped } }];
return mails.map((mail) => ({ json: { ...mail, skipped } }));
