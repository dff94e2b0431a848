// One email per stock.low event, to the shop (LAPAK_SHOP_ALERT_EMAIL in n8n's environment), from
// the shop owner's templates (the "Alert template" node: edit the texts there). A template names
// what it shows in braces: {shop}, {name}, {sku}, {stock}, {threshold}, {productId}. An event
// this flow handled before (a redelivery) gets no second mail and is answered `stale`.
const { fill, renderMails } = require('../automation/domain-batch.cjs');

const templates = $input.first().json;
const to = $env.LAPAK_SHOP_ALERT_EMAIL;

return renderMails({
  events: $('Verify signature').first().json.events,
  staticData: $getWorkflowStaticData('global'),
  mailOf: (event) => {
    if (!to) return { error: 'LAPAK_SHOP_ALERT_EMAIL is not set in the environment of n8n' };
    const values = { ...event.data, shop: event.data.shop.name };
    return { to, subject: fill(templates.subject, values), text: fill(templates.body, values) };
  },
});
