export * from './errors';
export * from './common';
export * from './catalog';
export * from './events';
export * from './jobs';
export * from './orders';
export * from './auth';
export * from './sync';
