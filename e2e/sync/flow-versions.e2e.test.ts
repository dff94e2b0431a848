import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTestEnv, SyncDeliveryRepository } from '@lapak/core/testing';
import { applyDirectus } from '../../directus/src/apply-directus';
import { flowsDir, type FlowFile } from '../../n8n-workflows/src/flows';
import { eventually, productCreateBody, useStack } from '../support/stack';

const env = useTestEnv();
// This file's worker posts to v2: the migration's switch (v1 stays published beside it).
const stack = useStack(env, { SYNC_FLOW_VERSION: 'v2' });

/** catalog-sync v1 as a v2 export: a new id, webhook path and meta, the same nodes. */
async function v2FromV1(): Promise<{ file: string; workflow: FlowFile }> {
  const v1 = JSON.parse(await readFile(`${flowsDir}/catalog-sync-v1.json`, 'utf8')) as FlowFile;
  const workflow: FlowFile = {
    ...v1,
    id: 'lpkCatalogSyncV2',
    name: 'catalog-sync v2',
    meta: { lapakFlow: 'catalog-sync', lapakVersion: 'v2', webhookPath: 'catalog-sync-v2' },
    nodes: v1.nodes.map((node) =>
      node.type === 'n8n-nodes-base.webhook'
        ? {
            ...node,
            webhookId: '6a1d8c3e-2f4b-4e7a-9c5d-1b2e3f4a5b62',
            parameters: { ...node.parameters, path: 'catalog-sync-v2' },
          }
        : node,
    ),
  };
  return { file: 'catalog-sync-v2.json', workflow };
}

describe('deploying: Directus schema and flow versions', () => {
  it('applying the Directus schema, version fence, roles and sync user again changes nothing', async () => {
    const changes = await applyDirectus({
      url: stack.cms.directusUrl,
      adminToken: stack.cms.directusAdminToken,
      syncToken: stack.cms.directusSyncToken,
      databaseUrl: stack.cms.directusDatabaseUrl,
    });
    expect(changes).toEqual([]);
  });

  it('a v2 flow deployed beside v1 takes the deliveries of a worker switched to v2; v1 still answers', async () => {
    const lines = await stack.cms.deployFlows([await v2FromV1()]);
    expect(lines).toEqual([
      'catalog-sync v2 (lpkCatalogSyncV2): imported and published → /webhook/catalog-sync-v2',
    ]);
    for (const version of ['v1', 'v2']) {
      const unsigned = await fetch(`${stack.cms.n8nUrl}/webhook/catalog-sync-${version}`, {
        method: 'POST',
        body: '{}',
      });
      expect(unsigned.status, `catalog-sync-${version}`).toBe(401);
    }

    const created = await stack.api.request('POST', '/api/v1/products', {
      token: stack.adminToken,
      body: productCreateBody({ name: 'Kopi Flores Bajawa', status: 'published' }),
    });
    expect(created.status).toBe(201);
    const item = await eventually('the product in Directus', () =>
      stack.directus.item('products', created.body.id),
    );
    expect(item).toMatchObject({ name: 'Kopi Flores Bajawa', version: 1 });
    const deliveries = await eventually('the delivery in the log', async () => {
      const log = await new SyncDeliveryRepository(env.orm.em.fork()).list({ limit: 10 });
      return log.length ? log : null;
    });
    expect(deliveries[0]).toMatchObject({ flowVersion: 'v2', status: 'applied', httpStatus: 200 });
  });
});
