import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/config';
import { checkServices } from '../config/services-check';
import { createTemplateDatabase, dropDatabases } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string;
    templateDatabase: string;
  }
}

/**
 * Vitest global setup for tests on real PostgreSQL and Redis: stops at once if either is
 * missing, migrates a template database once, and removes every database and Redis key the
 * run created when it ends.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
  if (problem) {
    process.stderr.write(`\n${problem}\n\n`);
    process.exit(1);
  }
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `lapak_t_${runId}_template`;
  await createTemplateDatabase(config.DATABASE_URL, template);
  project.provide('testRunId', runId);
  project.provide('templateDatabase', template);

  return async () => {
    await dropDatabases(config.DATABASE_URL, `lapak_t_${runId}_`);
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
    await redis.connect();
    const stream = redis.scanStream({ match: `lapak-t-${runId}-*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    await redis.quit();
  };
}
