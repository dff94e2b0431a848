/* global process */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows';
import { ContainerRegistrationKeys, Modules, ProductStatus } from '@medusajs/framework/utils';

/**
 * Loads the benchmark's catalog into a fresh Medusa database the way Medusa's starter seed
 * does it, with its core-flows workflows: a sales channel and its publishable API key, the
 * store's currency, a region (EUR, Germany, the system payment provider), its tax region, a stock
 * location with a fulfillment set and a flat-rate shipping option, then the products (one
 * variant each, inventory managed) and their inventory levels. Run with `medusa exec`; reads
 * the catalog from MEDUSA_CATALOG ([{ sku, name, slug, priceCents, stock }]) and writes what
 * the storefront needs (publishable key, region, shipping option, variant id by SKU) to
 * MEDUSA_SEED_OUT.
 */
export default async function seedBench({ container }) {
  const catalog = JSON.parse(readFileSync(process.env.MEDUSA_CATALOG, 'utf8'));
  const link = container.resolve(ContainerRegistrationKeys.LINK);
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const fulfillment = container.resolve(Modules.FULFILLMENT);
  const salesChannels = container.resolve(Modules.SALES_CHANNEL);
  const stores = container.resolve(Modules.STORE);

  let [channel] = await salesChannels.listSalesChannels({ name: 'Default Sales Channel' });
  if (!channel) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: 'Default Sales Channel' }] },
    });
    channel = result[0];
  }
  const [store] = await stores.listStores();
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [{ currency_code: 'eur', is_default: true }],
        default_sales_channel_id: channel.id,
      },
    },
  });

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        { name: 'Europe', currency_code: 'eur', countries: ['de'], payment_providers: ['pp_system_default'] },
      ],
    },
  });
  await createTaxRegionsWorkflow(container).run({
    input: [{ country_code: 'de', provider_id: 'tp_system' }],
  });

  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [{ name: 'Warehouse', address: { city: 'Berlin', country_code: 'DE', address_1: '' } }],
    },
  });
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: 'manual_manual' },
  });
  const {
    data: [profile],
  } = await query.graph({ entity: 'shipping_profile', fields: ['id'] });
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: 'Warehouse delivery',
    type: 'shipping',
    service_zones: [{ name: 'Germany', geo_zones: [{ country_code: 'de', type: 'country' }] }],
  });
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  });
  const {
    result: [shippingOption],
  } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: 'Standard Shipping',
        price_type: 'flat',
        provider_id: 'manual_manual',
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: 'Standard', description: 'Ship in 2-3 days.', code: 'standard' },
        prices: [
          { currency_code: 'eur', amount: 10 },
          { region_id: region.id, amount: 10 },
        ],
        rules: [
          { attribute: 'enabled_in_store', value: 'true', operator: 'eq' },
          { attribute: 'is_return', value: 'false', operator: 'eq' },
        ],
      },
    ],
  });
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [channel.id] },
  });

  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: 'Bench storefront', type: 'publishable', created_by: '' }] },
  });
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [channel.id] } });

  for (let i = 0; i < catalog.length; i += 100) {
    await createProductsWorkflow(container).run({
      input: {
        products: catalog.slice(i, i + 100).map((p) => ({
          title: p.name,
          handle: p.slug,
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: profile.id,
          options: [{ title: 'Default', values: ['Default'] }],
          variants: [
            {
              title: 'Default',
              sku: p.sku,
              options: { Default: 'Default' },
              manage_inventory: true,
              prices: [{ amount: p.priceCents / 100, currency_code: 'eur' }],
            },
          ],
          sales_channels: [{ id: channel.id }],
        })),
      },
    });
  }

  const stockBySku = new Map(catalog.map((p) => [p.sku, p.stock]));
  const { data: items } = await query.graph({ entity: 'inventory_item', fields: ['id', 'sku'] });
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: items.map((item) => ({
        location_id: location.id,
        stocked_quantity: stockBySku.get(item.sku) ?? 0,
        inventory_item_id: item.id,
      })),
    },
  });

  const { data: variants } = await query.graph({ entity: 'product_variant', fields: ['id', 'sku'] });
  writeFileSync(
    process.env.MEDUSA_SEED_OUT,
    JSON.stringify({
      publishableKey: apiKey.token,
      regionId: region.id,
      shippingOptionId: shippingOption.id,
      variantIds: Object.fromEntries(variants.map((v) => [v.sku, v.id])),
    }),
  );
}
