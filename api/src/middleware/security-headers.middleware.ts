import helmet from 'koa-helmet';
import type { ApiMiddleware } from '../http/api-state';

/**
 * The API answers JSON (and an event stream) to the storefront's scripts and to tools; no page of
 * it is meant to load anything, be framed or be sniffed as another type. So every response gets
 * helmet's headers with a policy that allows nothing (`default-src 'none'`, `frame-ancestors
 * 'none'`; the reference page at /api/v1/docs sets its own), `X-Frame-Options: DENY`, `nosniff`,
 * `Referrer-Policy: no-referrer`. Cross-origin calls are CORS's business (corsFor in app.ts), which
 * `Cross-Origin-Resource-Policy` does not touch.
 */
const helmetHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Sent below only for requests that came over TLS.
  strictTransportSecurity: false,
});

/** HSTS for a year, subdomains included: what the API's TLS front promises to keep serving. */
const hsts = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers on every response, errors included (the error middleware keeps headers), and
 * HSTS when the request came over TLS: directly, or by the proxy's `X-Forwarded-Proto` when
 * `API_TRUST_PROXY` is on. Over plain HTTP a browser ignores HSTS, so it is not sent there.
 */
export const securityHeaders: ApiMiddleware = async (ctx, next) => {
  if (ctx.secure) ctx.set('Strict-Transport-Security', hsts);
  await helmetHeaders(ctx, next);
};
