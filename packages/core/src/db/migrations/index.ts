import { Migration20261122000001 } from './Migration20261122000001';
import { Migration20261122010000 } from './Migration20261122010000';
import { Migration20261122030001 } from './Migration20261122030001';
import { Migration20261122070001 } from './Migration20261122070001';
import { Migration20261202010001 } from './Migration20261202010001';
import { Migration20261202020001 } from './Migration20261202020001';
import { Migration20261202030001 } from './Migration20261202030001';
import { Migration20261202040001 } from './Migration20261202040001';
import { Migration20261204010001 } from './Migration20261204010001';
import { Migration20261205010001 } from './Migration20261205010001';
import { Migration20261205020001 } from './Migration20261205020001';
import { Migration20261205030001 } from './Migration20261205030001';
import { Migration20261205100001 } from './Migration20261205100001';
import { Migration20261205200001 } from './Migration20261205200001';
import { Migration20261205200002 } from './Migration20261205200002';
import { Migration20261205100002 } from './Migration20261205100002';
import { Migration20261205210001 } from './Migration20261205210001';

/**
 * Every migration, in order. A new migration is a new file here and a line below, and the
 * entity change that matches it (db/schema.int.test.ts fails until the two agree).
 */
export const migrations = [
  { name: 'Migration20261122000001', class: Migration20261122000001 },
  { name: 'Migration20261122010000', class: Migration20261122010000 },
  { name: 'Migration20261122030001', class: Migration20261122030001 },
  { name: 'Migration20261122070001', class: Migration20261122070001 },
  { name: 'Migration20261202010001', class: Migration20261202010001 },
  { name: 'Migration20261202020001', class: Migration20261202020001 },
  { name: 'Migration20261202030001', class: Migration20261202030001 },
  { name: 'Migration20261202040001', class: Migration20261202040001 },
  { name: 'Migration20261204010001', class: Migration20261204010001 },
  { name: 'Migration20261205010001', class: Migration20261205010001 },
  { name: 'Migration20261205020001', class: Migration20261205020001 },
  { name: 'Migration20261205030001', class: Migration20261205030001 },
  { name: 'Migration20261205100001', class: Migration20261205100001 },
  { name: 'Migration20261205200001', class: Migration20261205200001 },
  { name: 'Migration20261205200002', class: Migration20261205200002 },
  { name: 'Migration20261205100002', class: Migration20261205100002 },
  { name: 'Migration20261205210001', class: Migration20261205210001 },
];
