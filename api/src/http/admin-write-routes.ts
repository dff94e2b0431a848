import type { z } from 'zod';
import { requireAdmin } from '../middleware/auth.middleware';
import type { ApiContext, ApiRouter } from './api-state';
import { parse, parseId } from './validate';

/** A service that creates, replaces, patches and deletes one kind of resource by id. */
interface WriteService<Create, Patch> {
  create(input: Create): Promise<unknown>;
  replace(id: string, input: Create): Promise<unknown>;
  patch(id: string, input: Patch): Promise<unknown>;
  delete(id: string): Promise<void>;
}

/**
 * The admin's writes of a resource, the same for each one that has them: POST `/` creates (201),
 * PUT `/:id` replaces, PATCH `/:id` changes some fields, DELETE `/:id` deletes (204). Every one
 * needs an admin; `what` names the id in a 400 (e.g. `product id`).
 */
export function adminWriteRoutes<Create extends z.ZodType, Patch extends z.ZodType>(
  router: ApiRouter,
  service: (em: ApiContext['state']['em']) => WriteService<z.infer<Create>, z.infer<Patch>>,
  what: string,
  schemas: { create: Create; replace: Create; patch: Patch },
): void {
  router.post('/', requireAdmin, async (ctx) => {
    const input = parse(schemas.create, ctx.request.body);
    ctx.status = 201;
    ctx.body = await service(ctx.state.em).create(input);
  });

  router.put('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, what);
    const input = parse(schemas.replace, ctx.request.body);
    ctx.body = await service(ctx.state.em).replace(id, input);
  });

  router.patch('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, what);
    const input = parse(schemas.patch, ctx.request.body);
    ctx.body = await service(ctx.state.em).patch(id, input);
  });

  router.delete('/:id', requireAdmin, async (ctx) => {
    const id = parseId(ctx.params.id, what);
    await service(ctx.state.em).delete(id);
    ctx.status = 204;
  });
}
