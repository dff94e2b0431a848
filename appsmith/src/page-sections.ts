/**
 * Groups of widgets that several pages lay out the same way: a table of a list query's page (with
 * its pager above it), a button for the selected row, inputs that start from the selected row, a
 * status filter, the pager at the right end of a toolbar, and a form in a modal with Cancel and
 * Save at its bottom right; and the category choices (and columns) two pages pick from.
 */
import type { Query } from './queries';
import type { CursorPager, FormMode } from './triggers';
import { js } from './triggers';
import { button, input, modal, select, table, text, type Box, type Column, type Widget } from './widgets';

/**
 * A table of the items of the page `query` answered (`{items, nextCursor}`; none until it has).
 * Each column's value is an expression of the item, named `item`: `<item>.<key>` unless the
 * column gives its own `value`.
 */
export type ListColumn = Column & { value?: string };

export function listTable(
  name: string,
  box: Box,
  options: {
    label: string;
    query: string;
    item: string;
    columns: ListColumn[];
    onRowSelected?: string;
  },
): Widget {
  const { query, item, ...rest } = options;
  const fields = options.columns.map((column) => `${column.key}: ${column.value ?? `${item}.${column.key}`}`);
  return table(name, box, {
    ...rest,
    data: js(`(${query}.data?.items || []).map((${item}) => ({ ${fields.join(', ')} }))`),
  });
}

/**
 * The categories a page picks from, loaded by its own query `query` (`GET /categories`, the first
 * 100): that query, select options (`none` first, meaning no category; `filter` a `.filter(…)` of
 * the list) and a list table's columns of an item's category, by name ("" when unknown).
 */
export function categoryChoices(query: string) {
  const items = `(${query}.data?.items || [])`;
  const nameOf = (id: string) => `(${items}.find((category) => category.id === ${id}) || {}).name || ""`;
  return {
    query: {
      name: query,
      method: 'GET',
      path: '/categories',
      params: { limit: '100' },
      onLoad: true,
    } as Query,
    options: (none: string, filter = '') =>
      js(
        `[{ label: '${none}', value: '' }].concat(${items}${filter}.map((c) => ({ label: c.name, value: c.id })))`,
      ),
    /** The category of `item` named in the column `key`, and its id `<item>.<key>Id` hidden beside it. */
    columns: (key: string, label: string, width: number, item: string): ListColumn[] => [
      { key, label, width, value: nameOf(`${item}.${key}Id`) },
      { key: `${key}Id`, label: `${label} id`, hidden: true },
    ],
  };
}

/**
 * A full-width table of the pages of `pager`'s query with the pager above it: the pager row at
 * `top` (see pagerRow) and the table `<prefix>Table` on the row below it, `height` tall.
 */
export function pagedListTable(
  prefix: string,
  pager: CursorPager,
  layout: { top: number; height: number },
  options: Omit<Parameters<typeof listTable>[2], 'query'>,
): Widget[] {
  const box = { top: layout.top + 5, left: 0, height: layout.height, width: 64 };
  return [
    ...pagerRow(prefix, pager, layout.top),
    listTable(`${prefix}Table`, box, { ...options, query: pager.query }),
  ];
}

/**
 * A toolbar button that acts on a table's selected row (`row`, e.g. `ProductsTable.selectedRow`):
 * secondary, and disabled while no row is selected unless `isDisabled` says otherwise.
 */
export function rowActionButton(
  name: string,
  box: Box,
  row: string,
  options: { label: string; onClick: string; isDisabled?: string },
): Widget {
  return button(name, box, { variant: 'SECONDARY', isDisabled: js(`!${row}.id`), ...options });
}

/**
 * Required inputs that start from a field of the table row `row` (e.g. `OrdersTable.selectedRow`):
 * `rowInput(name, box, label, field)`. In a form that both creates and edits (`form`), they do so
 * only while it edits, and start empty, or from `otherwise`, while it creates.
 */
export function rowInputs(row: string, form?: FormMode) {
  return (
    name: string,
    box: Box,
    label: string,
    field: string,
    options: { type?: 'NUMBER'; otherwise?: string } = {},
  ): Widget => {
    const value = `${row}.${field}`;
    return input(name, box, {
      label,
      type: options.type,
      required: true,
      defaultText: form ? form.initial(value, options.otherwise) : js(value),
    });
  };
}

/** A list filter by status: `all` (no filter) or one of `statuses`; a change shows the first page again. */
export function statusFilter(
  name: string,
  box: Box,
  statuses: readonly string[],
  pager: CursorPager,
): Widget {
  return select(name, box, {
    label: 'Status',
    options: [{ label: 'all', value: '' }, ...statuses.map((status) => ({ label: status, value: status }))],
    onOptionChange: pager.restart,
  });
}

/**
 * Previous, the page number and Next in the last 22 columns of the row at `top`: widgets
 * `<prefix>PreviousPage`, `<prefix>PageNumber` and `<prefix>NextPage`.
 */
export function pagerRow(prefix: string, pager: CursorPager, top: number): Widget[] {
  return [
    button(
      `${prefix}PreviousPage`,
      { top, left: 42, height: 4, width: 8 },
      {
        label: 'Previous',
        variant: 'SECONDARY',
        isDisabled: pager.previousDisabled,
        onClick: pager.previous,
      },
    ),
    text(`${prefix}PageNumber`, { top, left: 50, height: 4, width: 6 }, pager.pageLabel),
    button(
      `${prefix}NextPage`,
      { top, left: 56, height: 4, width: 8 },
      { label: 'Next', variant: 'SECONDARY', isDisabled: pager.nextDisabled, onClick: pager.next },
    ),
  ];
}

/**
 * The modal `<prefix>Modal`: a heading, the form's `fields`, and Cancel (`<prefix>Cancel`,
 * closes it) and Save (`<prefix>Save`, runs `onSave`; labelled `saveLabel`, "Save" unless given)
 * side by side, ending one column short of the modal's right edge on the row at `buttons.top`.
 */
export function formModal(
  prefix: string,
  options: {
    size: { width: number; height: number };
    title: string;
    titleWidth: number;
    fields: Widget[];
    buttons: { top: number; width: number };
    onSave: string;
    saveLabel?: string;
  },
): Widget {
  const name = `${prefix}Modal`;
  const { top, width } = options.buttons;
  const saveLeft = 63 - width;
  return modal(name, options.size, [
    text(`${name}Title`, { top: 1, left: 1, height: 4, width: options.titleWidth }, options.title, {
      size: 'heading',
    }),
    ...options.fields,
    button(
      `${prefix}Cancel`,
      { top, left: saveLeft - 2 - width, height: 4, width },
      { label: 'Cancel', variant: 'SECONDARY', onClick: js(`closeModal('${name}')`) },
    ),
    button(
      `${prefix}Save`,
      { top, left: saveLeft, height: 4, width },
      { label: options.saveLabel ?? 'Save', onClick: options.onSave },
    ),
  ]);
}
