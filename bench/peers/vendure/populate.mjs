/* global process, console */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, LanguageCode } from '@vendure/core';
import { populate } from '@vendure/core/cli/index.js';
import { vendureConfig } from './vendure-config.mjs';

/**
 * Loads the benchmark's catalog into a fresh Vendure database the way Vendure's docs show it:
 * `populate()` with initial data (a country and its zone, a tax rate, one shipping method, a
 * payment method on the dummy handler that settles at once) and a products CSV, one variant a
 * product with its stock tracked. Reads the catalog from the JSON file named in
 * VENDURE_CATALOG ([{ sku, name, slug, priceCents, stock }]).
 */
const catalog = JSON.parse(readFileSync(process.env.VENDURE_CATALOG, 'utf8'));
const quote = (value) => `"${String(value).replaceAll('"', '""')}"`;
const header =
  'name,slug,description,assets,facets,optionGroups,optionValues,sku,price,taxCategory,stockOnHand,trackInventory,variantAssets,variantFacets';
const rows = catalog.map((p) =>
  [
    p.name,
    p.slug,
    p.name,
    '',
    '',
    '',
    '',
    p.sku,
    (p.priceCents / 100).toFixed(2),
    'standard',
    p.stock,
    'true',
    '',
    '',
  ]
    .map(quote)
    .join(','),
);
const csvPath = join(process.cwd(), 'products.csv');
writeFileSync(csvPath, `${header}\n${rows.join('\n')}\n`);

const initialData = {
  defaultLanguage: LanguageCode.en,
  defaultZone: 'Europe',
  countries: [{ name: 'Germany', code: 'DE', zone: 'Europe' }],
  taxRates: [{ name: 'standard', percentage: 19 }],
  shippingMethods: [{ name: 'Standard Shipping', price: 1000 }],
  paymentMethods: [
    {
      name: 'Bench Payment',
      handler: { code: 'dummy-payment-handler', arguments: [{ name: 'automaticSettle', value: 'true' }] },
    },
  ],
  collections: [],
};

const config = vendureConfig();
config.dbConnectionOptions.synchronize = true;
config.apiOptions.port = 0;
const started = Date.now();
populate(() => bootstrap(config), initialData, csvPath)
  .then((app) => app.close())
  .then(() => {
    console.log(
      `vendure populated with ${catalog.length} products in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
