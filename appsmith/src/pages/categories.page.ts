import type { PageDefinition } from '../application-export';
import { cursorPager, js, runQuery } from '../triggers';
import { button, input, modal, select, table, text } from '../widgets';

const pager = cursorPager('listCategories', 'categoriesCursor');
const selectedId = '{{CategoriesTable.selectedRow.id}}';
const editing = "appsmith.store.categoryFormMode === 'edit'";
const row = 'CategoriesTable.selectedRow';
const openForm = (mode: 'create' | 'edit') =>
  js(
    `storeValue('categoryFormMode', '${mode}', false).then(() => resetWidget('CategoryModal', true)).then(() => showModal('CategoryModal'))`,
  );

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
    {
      name: 'listParentCategories',
      method: 'GET',
      path: '/categories',
      params: { limit: '100' },
      onLoad: true,
    },
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
        onClick: openForm('create'),
      },
    ),
    button(
      'EditCategoryButton',
      { top: 6, left: 12, height: 4, width: 10 },
      {
        label: 'Edit',
        variant: 'SECONDARY',
        isDisabled: js(`!${row}.id`),
        onClick: openForm('edit'),
      },
    ),
    button(
      'DeleteCategoryButton',
      { top: 6, left: 22, height: 4, width: 10 },
      {
        label: 'Delete',
        variant: 'SECONDARY',
        isDisabled: js(`!${row}.id`),
        onClick: runQuery('deleteCategory', {
          success: 'Category deleted',
          failure: 'Could not delete the category',
          reload: ['listCategories', 'listParentCategories'],
        }),
      },
    ),
    button(
      'CategoriesPreviousPage',
      { top: 6, left: 42, height: 4, width: 8 },
      {
        label: 'Previous',
        variant: 'SECONDARY',
        isDisabled: pager.previousDisabled,
        onClick: pager.previous,
      },
    ),
    text('CategoriesPageNumber', { top: 6, left: 50, height: 4, width: 6 }, pager.pageLabel),
    button(
      'CategoriesNextPage',
      { top: 6, left: 56, height: 4, width: 8 },
      {
        label: 'Next',
        variant: 'SECONDARY',
        isDisabled: pager.nextDisabled,
        onClick: pager.next,
      },
    ),
    table(
      'CategoriesTable',
      { top: 11, left: 0, height: 66, width: 64 },
      {
        label: 'Categories',
        data: js(
          '(listCategories.data?.items || []).map((c) => ({ id: c.id, name: c.name, slug: c.slug, ' +
            'parent: ((listParentCategories.data?.items || []).find((p) => p.id === c.parentId) || {}).name || "", ' +
            'parentId: c.parentId, version: c.version, updatedAt: c.updatedAt }))',
        ),
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'name', label: 'Name', width: 260 },
          { key: 'slug', label: 'Slug', width: 220 },
          { key: 'parent', label: 'Parent', width: 220 },
          { key: 'parentId', label: 'Parent id', hidden: true },
          { key: 'version', label: 'Version', type: 'number', width: 80 },
          { key: 'updatedAt', label: 'Updated', width: 200 },
        ],
      },
    ),
    modal('CategoryModal', { width: 560, height: 250 }, [
      text(
        'CategoryModalTitle',
        { top: 1, left: 1, height: 4, width: 50 },
        js(`${editing} ? 'Edit category' : 'New category'`),
        {
          size: 'heading',
        },
      ),
      input(
        'CategoryName',
        { top: 6, left: 1, height: 7, width: 30 },
        {
          label: 'Name',
          required: true,
          defaultText: js(`${editing} ? ${row}.name : ''`),
        },
      ),
      select(
        'CategoryParent',
        { top: 6, left: 33, height: 7, width: 30 },
        {
          label: 'Parent',
          options: js(
            "[{ label: '(none)', value: '' }].concat((listParentCategories.data?.items || [])" +
              `.filter((c) => !(${editing}) || c.id !== ${row}.id).map((c) => ({ label: c.name, value: c.id })))`,
          ),
          defaultValue: js(`${editing} ? (${row}.parentId || '') : ''`),
        },
      ),
      button(
        'CategoryCancel',
        { top: 17, left: 33, height: 4, width: 14 },
        {
          label: 'Cancel',
          variant: 'SECONDARY',
          onClick: js("closeModal('CategoryModal')"),
        },
      ),
      button(
        'CategorySave',
        { top: 17, left: 49, height: 4, width: 14 },
        {
          label: 'Save',
          onClick: runQuery(`(${editing} ? updateCategory : createCategory)`, {
            success: 'Category saved',
            failure: 'Could not save the category',
            closeModal: 'CategoryModal',
            reload: ['listCategories', 'listParentCategories'],
          }),
        },
      ),
    ]),
  ],
};
