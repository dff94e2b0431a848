import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CatalogEvent, EventResult } from '@lapak/contracts';
import { verifyWebhook } from '../sync/webhook-signature';

export interface StubFlowRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  events: CatalogEvent[];
}

/** Whether the request carries a valid Standard Webhooks signature of its body under `secret`. */
export function isSignedWith(secret: string, request: StubFlowRequest): boolean {
  const h = request.headers;
  return verifyWebhook(
    secret,
    String(h['webhook-id']),
    Number(h['webhook-timestamp']),
    request.body,
    String(h['webhook-signature']),
  );
}

export interface StubFlow {
  /** Base URL to use as N8N_URL. */
  readonly url: string;
  readonly requests: StubFlowRequest[];
  /** How the stub answers the next requests (default: every event applied). */
  answer: (request: StubFlowRequest) => { status: number; results?: EventResult[]; body?: string };
  close(): Promise<void>;
}

/**
 * A stand-in for the n8n flow in the dispatcher's integration tests (the real flow is exercised
 * by the e2e tests): records each request and answers as told, echoing X-Request-Id.
 */
export async function startStubFlow(): Promise<StubFlow> {
  const requests: StubFlowRequest[] = [];
  const holder: { server?: Server } = {};
  const stub: StubFlow = {
    url: '',
    requests,
    answer: (request) => ({
      status: 200,
      results: request.events.map((event) => ({ id: event.id, status: 'applied' })),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        holder.server?.closeAllConnections();
        holder.server?.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      let events: CatalogEvent[] = [];
      try {
        events = (JSON.parse(body) as { events: CatalogEvent[] }).events;
      } catch {
        // not JSON: no events
      }
      const request = { path: req.url ?? '/', headers: req.headers, body, events };
      requests.push(request);
      const answer = stub.answer(request);
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'x-request-id': String(req.headers['x-request-id'] ?? ''),
      });
      res.end(answer.body ?? JSON.stringify({ results: answer.results ?? [] }));
    });
  });
  holder.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  Object.assign(stub, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return stub;
}
