import { productStatuses } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { categoryChoices, formModal, pagedListTable, rowActionButton, statusFilter } from '../page-sections';
import { cursorPager, formMode, js, runQuery } from '../triggers';
import { button, input, select, text } from '../widgets';

const pager = cursorPager('listProducts', 'productsCursor');
const selectedId = '{{ProductsTable.selectedRow.id}}';
const form = formMode('productFormMode', 'ProductModal');
const editing = form.editing;
const row = 'ProductsTable.selectedRow';
const statuses = productStatuses.map((status) => ({ label: status, value: status }));
const categories = categoryChoices('listProductCategories');

/** Search, filter and page through products; create, edit, set stock, archive, delete. */
export const productsPage: PageDefinition = {
  name: 'Products',
  slug: 'products',
  queries: [
    {
      name: 'listProducts',
      method: 'GET',
      path: '/products',
      params: {
        q: "{{ProductSearch.text || ''}}",
        status: "{{ProductStatusFilter.selectedOptionValue || ''}}",
        categoryId: "{{ProductCategoryFilter.selectedOptionValue || ''}}",
        cursor: pager.cursorParam,
        limit: '20',
      },
      onLoad: true,
    },
    categories.query,
    {
      name: 'createProduct',
      method: 'POST',
      path: '/products',
      body: {
        sku: '{{ProductSku.text}}',
        name: '{{ProductName.text}}',
        priceCents: '{{Number(ProductPrice.text)}}',
        currency: '{{ProductCurrency.text}}',
        stock: '{{Number(ProductStock.text)}}',
        status: '{{ProductStatus.selectedOptionValue}}',
        categoryId: '{{ProductCategory.selectedOptionValue || null}}',
      },
    },
    {
      name: 'updateProduct',
      method: 'PATCH',
      path: `/products/${selectedId}`,
      body: {
        sku: '{{ProductSku.text}}',
        name: '{{ProductName.text}}',
        priceCents: '{{Number(ProductPrice.text)}}',
        currency: '{{ProductCurrency.text}}',
        status: '{{ProductStatus.selectedOptionValue}}',
        categoryId: '{{ProductCategory.selectedOptionValue || null}}',
      },
    },
    {
      name: 'setProductStock',
      method: 'PATCH',
      path: `/products/${selectedId}`,
      body: { stock: '{{Number(NewStock.text)}}' },
    },
    {
      name: 'archiveProduct',
      method: 'PATCH',
      path: `/products/${selectedId}`,
      body: { status: 'archived' },
      confirm: true,
    },
    { name: 'deleteProduct', method: 'DELETE', path: `/products/${selectedId}`, confirm: true },
  ],
  widgets: [
    text('ProductsTitle', { top: 0, left: 0, height: 5, width: 40 }, 'Products', { size: 'heading' }),
    input(
      'ProductSearch',
      { top: 6, left: 0, height: 7, width: 22 },
      {
        label: 'Search name or SKU',
        placeholder: 'e.g. kopi',
        onTextChanged: pager.restart,
      },
    ),
    statusFilter('ProductStatusFilter', { top: 6, left: 22, height: 7, width: 12 }, productStatuses, pager),
    select(
      'ProductCategoryFilter',
      { top: 6, left: 34, height: 7, width: 16 },
      {
        label: 'Category',
        options: categories.options('all'),
        onOptionChange: pager.restart,
      },
    ),
    button(
      'NewProductButton',
      { top: 9, left: 52, height: 4, width: 12 },
      {
        label: 'New product',
        onClick: form.open('create'),
      },
    ),
    rowActionButton('EditProductButton', { top: 14, left: 0, height: 4, width: 10 }, row, {
      label: 'Edit',
      onClick: form.open('edit'),
    }),
    rowActionButton('SetStockButton', { top: 14, left: 10, height: 4, width: 10 }, row, {
      label: 'Set stock',
      onClick: js("resetWidget('StockModal', true).then(() => showModal('StockModal'))"),
    }),
    rowActionButton('ArchiveProductButton', { top: 14, left: 20, height: 4, width: 10 }, row, {
      label: 'Archive',
      isDisabled: js(`!${row}.id || ${row}.status === 'archived'`),
      onClick: runQuery('archiveProduct', {
        success: 'Product archived',
        failure: 'Could not archive the product',
        reload: ['listProducts'],
      }),
    }),
    rowActionButton('DeleteProductButton', { top: 14, left: 30, height: 4, width: 10 }, row, {
      label: 'Delete',
      onClick: runQuery('deleteProduct', {
        success: 'Product deleted',
        failure: 'Could not delete the product',
        reload: ['listProducts'],
      }),
    }),
    ...pagedListTable(
      'Products',
      pager,
      { top: 14, height: 66 },
      {
        label: 'Products',
        item: 'p',
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'sku', label: 'SKU', width: 140 },
          { key: 'name', label: 'Name', width: 260 },
          { key: 'status', label: 'Status', width: 100 },
          { key: 'priceCents', label: 'Price (minor units)', type: 'number', width: 140 },
          { key: 'currency', label: 'Currency', width: 90 },
          { key: 'stock', label: 'Stock', type: 'number', width: 90 },
          {
            key: 'category',
            label: 'Category',
            width: 160,
            value: categories.nameOf('p.categoryId'),
          },
          { key: 'categoryId', label: 'Category id', hidden: true },
          { key: 'version', label: 'Version', type: 'number', width: 80 },
          { key: 'updatedAt', label: 'Updated', width: 200 },
        ],
      },
    ),
    formModal('Product', {
      size: { width: 640, height: 400 },
      title: form.title('product'),
      titleWidth: 50,
      fields: [
        input(
          'ProductSku',
          { top: 6, left: 1, height: 7, width: 30 },
          {
            label: 'SKU',
            required: true,
            defaultText: form.initial(`${row}.sku`),
          },
        ),
        input(
          'ProductName',
          { top: 6, left: 33, height: 7, width: 30 },
          {
            label: 'Name',
            required: true,
            defaultText: form.initial(`${row}.name`),
          },
        ),
        input(
          'ProductPrice',
          { top: 14, left: 1, height: 7, width: 20 },
          {
            label: 'Price (minor units: 1999 is 19.99)',
            type: 'NUMBER',
            required: true,
            defaultText: form.initial(`${row}.priceCents`),
          },
        ),
        input(
          'ProductCurrency',
          { top: 14, left: 22, height: 7, width: 19 },
          {
            label: 'Currency (ISO 4217)',
            required: true,
            defaultText: form.initial(`${row}.currency`, "'EUR'"),
          },
        ),
        {
          ...input(
            'ProductStock',
            { top: 14, left: 43, height: 7, width: 20 },
            {
              label: 'Stock',
              type: 'NUMBER',
              required: true,
              defaultText: '0',
            },
          ),
          // Stock of an existing product changes through "Set stock" only.
          isVisible: js(`!(${editing})`),
        },
        select(
          'ProductStatus',
          { top: 22, left: 1, height: 7, width: 30 },
          {
            label: 'Status',
            options: statuses,
            defaultValue: form.initial(`${row}.status`, "'draft'"),
          },
        ),
        select(
          'ProductCategory',
          { top: 22, left: 33, height: 7, width: 30 },
          {
            label: 'Category',
            options: categories.options('(none)'),
            defaultValue: form.initial(`(${row}.categoryId || '')`),
          },
        ),
      ],
      buttons: { top: 31, width: 14 },
      onSave: runQuery(`(${editing} ? updateProduct : createProduct)`, {
        success: 'Product saved',
        failure: 'Could not save the product',
        closeModal: 'ProductModal',
        reload: ['listProducts'],
      }),
    }),
    formModal('Stock', {
      size: { width: 420, height: 240 },
      title: `Set stock of {{${row}.sku}}`,
      titleWidth: 62,
      fields: [
        input(
          'NewStock',
          { top: 6, left: 1, height: 7, width: 40 },
          {
            label: 'Units in stock',
            type: 'NUMBER',
            required: true,
            defaultText: js(`${row}.stock`),
          },
        ),
      ],
      buttons: { top: 16, width: 18 },
      onSave: runQuery('setProductStock', {
        success: 'Stock updated',
        failure: 'Could not set the stock',
        closeModal: 'StockModal',
        reload: ['listProducts'],
      }),
    }),
  ],
};
