export * from './test-env';
export * from './test-database';
export * from './services-check';
export * from './factories';
