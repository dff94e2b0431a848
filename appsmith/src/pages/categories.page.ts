import type { PageDefinition } from '../application-export';
import { categoryChoices, formModal, pagedListTable, rowActionButton, rowInputs } from '../page-sections';
import { cursorPager, formMode, runQuery } from '../triggers';
import { button, select, text } from '../widgets';

const pager = cursorPager('listCategories', 'categoriesCursor');
const selectedId = '{{CategoriesTable.selectedRow.id}}';
const form = formMode('categoryFormMode', 'CategoryModal');
const editing = form.editing;
const row = 'CategoriesTable.selectedRow';
const parents = categoryChoices('listParentCategories');
const rowInput = rowInputs(row, form);

/** Page through categories; create, rename or move under another parent, delete. */
export const categoriesPage: PageDefinition = {
  name: 'Categories',
  slug: 'categories',
  queries: [
    {
      name: 'listCategories',
      method: 'GET',
      path: '/categories',
      params: { cursor: pager.cursorParam, limit: '20' },
      onLoad: true,
    },
    parents.query,
    {
      name: 'createCategory',
      method: 'POST',
      path: '/categories',
      body: { name: '{{CategoryName.text}}', parentId: '{{CategoryParent.selectedOptionValue || null}}' },
    },
    {
      name: 'updateCategory',
      method: 'PATCH',
      path: `/categories/${selectedId}`,
      body: { name: '{{CategoryName.text}}', parentId: '{{CategoryParent.selectedOptionValue || null}}' },
    },
    { name: 'deleteCategory', method: 'DELETE', path: `/categories/${selectedId}`, confirm: true },
  ],
  widgets: [
    text('CategoriesTitle', { top: 0, left: 0, height: 5, width: 40 }, 'Categories', { size: 'heading' }),
    button(
      'NewCategoryButton',
      { top: 6, left: 0, height: 4, width: 12 },
      {
        label: 'New category',
        onClick: form.open('create'),
      },
    ),
    rowActionButton('EditCategoryButton', { top: 6, left: 12, height: 4, width: 10 }, row, {
      label: 'Edit',
      onClick: form.open('edit'),
    }),
    rowActionButton('DeleteCategoryButton', { top: 6, left: 22, height: 4, width: 10 }, row, {
      label: 'Delete',
      onClick: runQuery('deleteCategory', {
        success: 'Category deleted',
        failure: 'Could not delete the category',
        reload: ['listCategories', 'listParentCategories'],
      }),
    }),
    ...pagedListTable(
      'Categories',
      pager,
      { top: 6, height: 66 },
      {
        label: 'Categories',
        item: 'c',
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'name', label: 'Name', width: 260 },
          { key: 'slug', label: 'Slug', width: 220 },
          ...parents.columns('parent', 'Parent', 220, 'c'),
          { key: 'version', label: 'Version', type: 'number', width: 80 },
          { key: 'updatedAt', label: 'Updated', width: 200 },
        ],
      },
    ),
    formModal('Category', {
      size: { width: 560, height: 250 },
      title: form.title('category'),
      titleWidth: 50,
      fields: [
        rowInput('CategoryName', { top: 6, left: 1, height: 7, width: 30 }, 'Name', 'name'),
        select(
          'CategoryParent',
          { top: 6, left: 33, height: 7, width: 30 },
          {
            label: 'Parent',
            // A category cannot be its own parent.
            options: parents.options('(none)', `.filter((c) => !(${editing}) || c.id !== ${row}.id)`),
            defaultValue: form.initial(`(${row}.parentId || '')`),
          },
        ),
      ],
      buttons: { top: 17, width: 14 },
      onSave: runQuery(`(${editing} ? updateCategory : createCategory)`, {
        success: 'Category saved',
        failure: 'Could not save the category',
        closeModal: 'CategoryModal',
        reload: ['listCategories', 'listParentCategories'],
      }),
    }),
  ],
};
