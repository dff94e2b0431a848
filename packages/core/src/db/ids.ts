import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): primary keys that sort by creation, so cursors can be ids. */
export const newId = (): string => v7();
