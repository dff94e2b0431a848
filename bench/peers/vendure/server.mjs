/* global process, console */
import { bootstrap } from '@vendure/core';
import { vendureConfig } from './vendure-config.mjs';

// The Vendure server (Shop and Admin GraphQL APIs); its jobs go to the worker (worker.mjs).
bootstrap(vendureConfig()).catch((error) => {
  console.error(error);
  process.exit(1);
});
