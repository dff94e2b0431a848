import { afterAll, afterEach, beforeAll } from 'vitest';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { createRedis, type Redis } from '@lapak/core';
import type { TestEnv } from '@lapak/core/testing';
import { startStubFlow, type StubFlow } from './stub-flow';

export interface DispatchHarness {
  /** The stub flow the dispatcher posts to (its URL is the N8N_URL to give it). */
  readonly flow: StubFlow;
  /** A queue of the test's own, closed after the test. */
  queue(name: string): Queue;
}

/**
 * What a dispatcher's test file needs: a stub flow and a Redis for its queues. Each test starts
 * with an empty outbox and a flow that applies every event, and its queues are closed after it.
 */
export function useDispatchHarness(env: TestEnv): DispatchHarness {
  let flow: StubFlow | undefined;
  let redis: Redis | undefined;
  const opened: Queue[] = [];
  beforeAll(async () => {
    flow = await startStubFlow();
    redis = createRedis(env.config.REDIS_URL, 'worker');
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
    await sql`update outbox_events set relayed_at = now() where relayed_at is null`.execute(env.db());
    flow!.requests.length = 0;
    flow!.answer = (request) => ({
      status: 200,
      results: request.events.map((e) => ({ id: e.id, status: 'applied' })),
    });
  });
  afterAll(async () => {
    await flow?.close();
    redis?.disconnect();
  });
  return {
    get flow() {
      if (!flow) throw new Error('useDispatchHarness: the flow is ready only inside tests and hooks');
      return flow;
    },
    queue(name) {
      const queue = new Queue(env.unique(name), { connection: redis!, prefix: env.config.REDIS_PREFIX });
      opened.push(queue);
      return queue;
    },
  };
}
