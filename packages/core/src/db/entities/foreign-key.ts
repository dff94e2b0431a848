import { p } from '@mikro-orm/core';

/**
 * A foreign key column `column` of `table` to `target`'s primary key: the property stays the id
 * (`mapToPk`), the relation adds the constraint, named as PostgreSQL names it
 * (`<table>_<column>_fkey`, as the migrations left it). Rules and nullability follow per column.
 */
export const foreignKey = <Target extends Parameters<typeof p.manyToOne>[0], Column extends string>(
  target: Target,
  table: string,
  column: Column,
) => p.manyToOne(target).mapToPk().fieldName(column).foreignKeyName(`${table}_${column}_fkey`);
