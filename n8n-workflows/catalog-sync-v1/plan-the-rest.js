// After the category writes: every other write, as Directus batch requests
// (catalog-sync/plan-the-rest.cjs).
const { planTheRest, restItems } = require('../catalog-sync/plan-the-rest.cjs');

const plan = $('Plan writes').first().json;
return restItems(planTheRest(plan, plan.writeCategories && $('Write categories').first().json));
