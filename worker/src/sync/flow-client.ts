import { randomUUID } from 'node:crypto';
import { batchResultSchema, type CatalogEvent, type DomainEvent } from '@lapak/contracts';
import type { FlowReply } from '@lapak/core';
import { webhookHeaders } from './webhook-signature';

/** The webhook URL of a catalog-sync flow version. */
export const flowUrl = (n8nUrl: string, version: string) => webhookUrl(n8nUrl, `catalog-sync-${version}`);

/** The webhook URL of a flow version by its name (`order-notifications-v1`). */
export const webhookUrl = (n8nUrl: string, flow: string) => new URL(`/webhook/${flow}`, n8nUrl).toString();

/** The flow's answer to a batch: per-event results, or why there are none. */
export type FlowAnswer = FlowReply;

/**
 * Posts one signed batch to the flow and reads its per-event answer. Never throws for what the
 * flow or the network does: an unreachable flow, a timeout, a non-200 or an answer that is not
 * `{results: [...]}` is `ok: false` with the reason.
 */
export async function postBatch(options: {
  url: string;
  secret: string;
  events: CatalogEvent[] | DomainEvent[];
  requestId: string;
  timeoutMs: number;
}): Promise<FlowAnswer> {
  const body = JSON.stringify({ events: options.events });
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { ...webhookHeaders(options.secret, randomUUID(), body), 'x-request-id': options.requestId },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason =
      (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : cause;
    return {
      ok: false,
      httpStatus: null,
      latencyMs: latency(),
      error: `flow unreachable: ${reason ?? (error as Error).message}`,
      requestId: null,
    };
  }
  const text = await response.text().catch(() => '');
  const requestId = response.headers.get('x-request-id');
  if (response.status !== 200) {
    return {
      ok: false,
      httpStatus: response.status,
      latencyMs: latency(),
      error: `flow answered ${response.status}: ${text.slice(0, 300)}`,
      requestId,
    };
  }
  let parsed;
  try {
    parsed = batchResultSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    return {
      ok: false,
      httpStatus: 200,
      latencyMs: latency(),
      error: `flow answer is not {results: [...]}: ${text.slice(0, 300)}`,
      requestId,
    };
  }
  return {
    ok: true,
    httpStatus: 200,
    latencyMs: latency(),
    results: new Map(parsed.data.results.map((result) => [result.id, result])),
    requestId,
  };
}
