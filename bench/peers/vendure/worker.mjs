/* global process, console */
import { bootstrapWorker } from '@vendure/core';
import { vendureConfig } from './vendure-config.mjs';

// Vendure's default worker: runs the jobs the server puts in the PostgreSQL job queue.
bootstrapWorker(vendureConfig())
  .then((worker) => worker.startJobQueue())
  .then(() => console.log('vendure worker started'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
