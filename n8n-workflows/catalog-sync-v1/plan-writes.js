// Decides, per event, what Directus needs (catalog-sync/plan-writes.cjs): the newest event of
// each aggregate wins; every upsert is a create and every delete a tombstone, and the version
// fence in Directus's database decides where each lands.
const { checkRead, newestEvents, catalogOps, writePlan } = require('../catalog-sync/plan-writes.cjs');

const read = $input.first().json;
checkRead(read, 'the category read');
const { results, newest } = newestEvents($('Verify signature').first().json);
const ops = catalogOps(newest, new Date().toISOString());
return writePlan({ results, ops, heldCategories: read.data.categories });
