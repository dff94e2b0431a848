import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Which write requests to hold: those whose JSON body has a row with all these values (e.g.
 * `{sku, version}` for a create, `{id, version}` for an update, `{item}` for a tombstone), or,
 * for a delete by keys, the key `id` or `item` itself.
 */
export type HoldRule = Record<string, string | number>;

export interface HoldingProxy {
  url: string;
  hold(rule: HoldRule): void;
  /**
   * Sends every held request on to Directus (whether or not its client still waits) and resolves
   * with how many, once Directus has answered them all.
   */
  release(): Promise<number>;
  held(): number;
  close(): Promise<void>;
}

const names = (element: unknown, rule: HoldRule): boolean => {
  if (typeof element === 'string') return element === rule.id || element === rule.item;
  if (!element || typeof element !== 'object') return false;
  const row = element as Record<string, unknown>;
  return Object.entries(rule).every(([key, value]) => row[key] === value);
};

const matches = (body: Buffer, rules: HoldRule[]): boolean => {
  if (!rules.length || !body.length) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return false;
  }
  const elements = Array.isArray(parsed) ? parsed : [parsed];
  return elements.some((element) => rules.some((rule) => names(element, rule)));
};

/**
 * An HTTP proxy in front of Directus for n8n, that can hold chosen write requests as a paused or
 * slow Directus would: the flow's execution waits, its caller times out, and the write still
 * lands when released, after whatever was sent meanwhile.
 */
export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const rules: HoldRule[] = [];
  let waiting: (() => Promise<void>)[] = [];

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    new Promise<void>((done) => {
      const out = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (answer) => {
          answer.on('end', done);
          if (res.destroyed) return void answer.resume();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
        done();
      });
      out.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const write = req.method !== 'GET' && (req.url ?? '').startsWith('/items/');
      if (write && matches(body, rules)) waiting.push(() => forward(req, body, res));
      else void forward(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: (rule) => void rules.push(rule),
    async release() {
      rules.length = 0;
      const released = waiting;
      waiting = [];
      await Promise.all(released.map((send) => send()));
      return released.length;
    },
    held: () => waiting.length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
