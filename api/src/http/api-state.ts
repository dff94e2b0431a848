import type Router from '@koa/router';
import type { DefaultContext, Middleware, ParameterizedContext } from 'koa';
import type { RequestState } from '../middleware/request-context.middleware';

/**
 * `ctx.state` of every API request: the RequestState that requestContext, the app's first
 * middleware, puts there (request id, principal, logger, EntityManager fork). Koa's default state
 * type is `any`; the app, its middleware and its routers name this one instead, so a misspelt or
 * missing field is a compile error rather than an `undefined` at run time.
 */
export type ApiState = RequestState;

export type ApiContext = ParameterizedContext<ApiState>;

/** Koa middleware of the API: its `ctx.state` is ApiState, its response body `unknown`. */
export type ApiMiddleware = Middleware<ApiState, DefaultContext, unknown>;

/** A router of the API (one per resource), its handlers seeing ApiState. */
export type ApiRouter = Router<ApiState>;
