import { describe, expect, it } from 'vitest';
import { catalogSync, catalogSyncVersions, response } from './catalog-batch.fixture';

describe.each(catalogSyncVersions)('catalog-sync v%i: First delivery', (version) => {
  const { node, productEvent, verified } = catalogSync(version);
  const firstDelivery = node('First delivery');

  it('passes the verified batch on once Directus stored its webhook receipt', async () => {
    const verify = await verified([productEvent()]);
    const [output] = await firstDelivery({
      input: [response(200, { data: { id: verify[0]!.json.webhookId } })],
      nodes: { 'Verify signature': verify },
    });
    expect(output!.json).toEqual(verify[0]!.json);
  });

  it('refuses with 409 a webhook-id Directus holds already: a replayed batch', async () => {
    const verify = await verified([productEvent()]);
    const taken = response(400, {
      errors: [{ message: 'Value has to be unique.', extensions: { code: 'RECORD_NOT_UNIQUE' } }],
    });
    const [output] = await firstDelivery({ input: [taken], nodes: { 'Verify signature': verify } });
    expect(output!.json).toEqual({
      ok: false,
      status: 409,
      message: 'this webhook-id was received before: a replayed batch is not applied',
      requestId: 'req-1',
    });
  });

  it('fails the run (the dispatcher delivers again) when Directus refuses the receipt otherwise', async () => {
    const verify = await verified([productEvent()]);
    for (const answer of [
      response(503, null),
      response(403, { errors: [{ extensions: { code: 'FORBIDDEN' } }] }),
    ]) {
      await expect(firstDelivery({ input: [answer], nodes: { 'Verify signature': verify } })).rejects.toThrow(
        /Directus did not store the webhook receipt/,
      );
    }
  });
});
