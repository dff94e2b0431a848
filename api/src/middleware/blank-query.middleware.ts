import type { ApiMiddleware } from '../http/api-state';

/**
 * Drops query parameters sent with an empty value, so `?status=&q=` means "no filter" instead
 * of a 400. Form-driven clients (the Appsmith admin app, plain HTML forms) send every field of a
 * filter bar, filled or not; a parameter that is present with a value is validated as before.
 */
export const dropBlankQueryParams: ApiMiddleware = async (ctx, next) => {
  if (ctx.querystring) {
    const query = ctx.query;
    const kept: Record<string, string | string[]> = {};
    let dropped = false;
    for (const [key, value] of Object.entries(query)) {
      const values = (Array.isArray(value) ? value : [value ?? '']).filter((item) => item !== '');
      if (values.length === 0) dropped = true;
      else if (values.length === 1) kept[key] = values[0]!;
      else kept[key] = values;
      if (Array.isArray(value) && values.length !== value.length) dropped = true;
    }
    if (dropped) ctx.query = kept;
  }
  await next();
};
