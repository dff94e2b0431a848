import { productStatuses } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import {
  categoryChoices,
  formModal,
  pagedListTable,
  rowActionButton,
  rowInputs,
  statusFilter,
} from '../page-sections';
import { everyCombination, optionsText, parseOptions, valuesText } from '../product-options';
import { cursorPager, formMode, js, runQuery } from '../triggers';
import { button, input, modal, select, table, text, type Widget } from '../widgets';

const pager = cursorPager('listProducts', 'productsCursor');
const selectedId = '{{ProductsTable.selectedRow.id}}';
const form = formMode('productFormMode', 'ProductModal');
const editing = form.editing;
const row = 'ProductsTable.selectedRow';
const statuses = productStatuses.map((status) => ({ label: status, value: status }));
const categories = categoryChoices('listProductCategories');
/** Inputs of the product form start from the selected product while it edits; Set stock's always. */
const rowInput = rowInputs(row, form);
const selectedInput = rowInputs(row);
/**
 * True when the selected product has options (its price and stock are its variants'). The
 * table's Options column holds them as the one line the product form edits.
 */
const rowHasOptions = `Boolean(${row}.options)`;
/** The options typed into the product form. */
const typedOptions = parseOptions('ProductOptions.text');

/**
 * What the product form sends to create or update a product: price and stock only where the
 * product has its own (not one with options, whose variants have them).
 */
const productBody = (own: { price?: boolean; stock?: boolean }) => ({
  sku: '{{ProductSku.text}}',
  name: '{{ProductName.text}}',
  ...(own.price ? { priceCents: '{{Number(ProductPrice.text)}}' } : {}),
  currency: '{{ProductCurrency.text}}',
  ...(own.stock ? { stock: '{{Number(ProductStock.text)}}' } : {}),
  status: '{{ProductStatus.selectedOptionValue}}',
  categoryId: '{{ProductCategory.selectedOptionValue || null}}',
});

/** A product's variants are edited in their own modal, on the product as `getProduct` read it. */
const variantsPath = `/products/${selectedId}/variants`;
const variantPath = `${variantsPath}/{{VariantsTable.selectedRow.id}}`;
const maxOptions = 3;
const optionSelects = Array.from({ length: maxOptions }, (_, index) => `VariantOption${index + 1}`);
const optionAt = (index: number) => `(getProduct.data?.options || [])[${index}]`;
const variantBody = {
  sku: '{{VariantSku.text}}',
  optionValues: js(
    `Object.fromEntries((getProduct.data?.options || []).map((option, index) => [option.name, [${optionSelects.join(', ')}][index].selectedOptionValue]))`,
  ),
  priceCents: '{{Number(VariantPrice.text)}}',
  stock: '{{Number(VariantStock.text)}}',
};
const variantRow = 'VariantsTable.selectedRow';
/** The selected variant as getProduct has it (the table shows its values as text). */
const selectedVariant = `((getProduct.data?.variants || []).find((variant) => variant.id === ${variantRow}.id) || {})`;
const variantFields = ['VariantSku', 'VariantPrice', 'VariantStock', ...optionSelects];
/** After a variant changed: the modal's list, and the products list behind it (stock, price, version). */
const variantReloads = ['getProduct', 'listProducts'];

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
      body: productBody({ price: true, stock: true }),
    },
    {
      // With options, every combination is made a variant, with the form's price and stock.
      name: 'createProductWithVariants',
      method: 'POST',
      path: '/products',
      body: {
        ...productBody({}),
        options: js(typedOptions),
        variants: js(
          everyCombination(typedOptions, {
            sku: 'ProductSku.text',
            priceCents: 'Number(ProductPrice.text)',
            stock: 'Number(ProductStock.text)',
          }),
        ),
      },
    },
    {
      // A product with options: its price and stock are its variants'; new option values can be
      // added, and values no variant uses removed.
      name: 'updateProductWithOptions',
      method: 'PATCH',
      path: `/products/${selectedId}`,
      body: { ...productBody({}), options: js(typedOptions) },
    },
    {
      name: 'updateProduct',
      method: 'PATCH',
      path: `/products/${selectedId}`,
      body: productBody({ price: true }),
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
    { name: 'getProduct', method: 'GET', path: `/products/${selectedId}` },
    { name: 'addVariant', method: 'POST', path: variantsPath, body: variantBody },
    { name: 'updateVariant', method: 'PATCH', path: variantPath, body: variantBody },
    { name: 'deleteVariant', method: 'DELETE', path: variantPath, confirm: true },
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
      // A product with options keeps its stock on each variant (Variants).
      isDisabled: js(`!${row}.id || ${rowHasOptions}`),
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
    rowActionButton('VariantsButton', { top: 14, left: 40, height: 4, width: 10 }, row, {
      label: 'Variants',
      onClick: js(
        `getProduct.run().then(() => Promise.all([${variantFields.map((name) => `resetWidget('${name}', true)`).join(', ')}])).then(() => showModal('VariantModal'))`,
      ),
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
          { key: 'options', label: 'Options', width: 240, value: optionsText('p.options') },
          {
            key: 'variants',
            label: 'Variants',
            type: 'number',
            width: 90,
            value: '(p.variants || []).length',
          },
          ...categories.columns('category', 'Category', 160, 'p'),
          { key: 'version', label: 'Version', type: 'number', width: 80 },
          { key: 'updatedAt', label: 'Updated', width: 200 },
        ],
      },
    ),
    formModal('Product', {
      size: { width: 640, height: 480 },
      title: form.title('product'),
      titleWidth: 50,
      fields: [
        rowInput('ProductSku', { top: 6, left: 1, height: 7, width: 30 }, 'SKU', 'sku'),
        rowInput('ProductName', { top: 6, left: 33, height: 7, width: 30 }, 'Name', 'name'),
        {
          ...rowInput(
            'ProductPrice',
            { top: 14, left: 1, height: 7, width: 20 },
            'Price (minor units: 1999 is 19.99)',
            'priceCents',
            { type: 'NUMBER' },
          ),
          // A product with options is priced variant by variant (Variants).
          isVisible: js(`!(${editing} && ${rowHasOptions})`),
        },
        rowInput(
          'ProductCurrency',
          { top: 14, left: 22, height: 7, width: 19 },
          'Currency (ISO 4217)',
          'currency',
          { otherwise: "'EUR'" },
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
        {
          ...input(
            'ProductOptions',
            { top: 30, left: 1, height: 7, width: 62 },
            {
              label:
                'Options, if shoppers choose one (new: every combination gets the price and stock above)',
              placeholder: 'Weight: 250 g, 500 g, 1 kg; Grind: Whole bean, Ground',
              defaultText: form.initial(`${row}.options || ''`),
            },
          ),
          // A product sold as it is keeps no options: its one variant has no values to fit them.
          isVisible: js(`!(${editing}) || ${rowHasOptions}`),
        },
      ],
      buttons: { top: 40, width: 14 },
      onSave: runQuery(
        `(${editing} ? (${rowHasOptions} ? updateProductWithOptions : updateProduct) : (${typedOptions}.length > 0 ? createProductWithVariants : createProduct))`,
        {
          success: 'Product saved',
          failure: 'Could not save the product',
          closeModal: 'ProductModal',
          reload: ['listProducts'],
        },
      ),
    }),
    variantModal(),
    formModal('Stock', {
      size: { width: 420, height: 240 },
      title: `Set stock of {{${row}.sku}}`,
      titleWidth: 62,
      fields: [
        selectedInput('NewStock', { top: 6, left: 1, height: 7, width: 40 }, 'Units in stock', 'stock', {
          type: 'NUMBER',
        }),
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

/**
 * The selected product's variants: a table of them (from `getProduct`), and a form below it for
 * the one selected or a new one, with a choice per option of the product.
 */
function variantModal(): Widget {
  const name = 'VariantModal';
  const optionChoice = (index: number) => ({
    ...select(
      optionSelects[index]!,
      { top: 43, left: 1 + index * 21, height: 7, width: 20 },
      {
        label: js(`(${optionAt(index)} || {}).name || 'Option ${index + 1}'`),
        options: js(
          `((${optionAt(index)} || {}).values || []).map((value) => ({ label: value, value: value }))`,
        ),
        defaultValue: js(`(${selectedVariant}.optionValues || {})[(${optionAt(index)} || {}).name] || ''`),
        required: true,
      },
    ),
    isVisible: js(`${optionAt(index)} !== undefined`),
  });
  const save = (query: string, success: string, failure: string) =>
    runQuery(query, { success, failure, reload: variantReloads });
  return modal(name, { width: 760, height: 600 }, [
    text(`${name}Title`, { top: 1, left: 1, height: 4, width: 62 }, `Variants of {{${row}.sku}}`, {
      size: 'heading',
    }),
    text(
      'VariantOptionsSummary',
      { top: 5, left: 1, height: 4, width: 62 },
      js(
        `'Options: ' + (${optionsText('getProduct.data?.options')} || 'none (the product is its one variant)')`,
      ),
      { size: 'small' },
    ),
    table(
      'VariantsTable',
      { top: 10, left: 1, height: 24, width: 62 },
      {
        label: 'Variants',
        data: js(
          `(getProduct.data?.variants || []).map((v) => ({ id: v.id, sku: v.sku, values: ${valuesText('v.optionValues')}, priceCents: v.priceCents, stock: v.stock, version: v.version }))`,
        ),
        columns: [
          { key: 'id', label: 'Id', hidden: true },
          { key: 'sku', label: 'SKU', width: 170 },
          { key: 'values', label: 'Values', width: 220 },
          { key: 'priceCents', label: 'Price (minor units)', type: 'number', width: 130 },
          { key: 'stock', label: 'Stock', type: 'number', width: 80 },
          { key: 'version', label: 'Version', type: 'number', width: 80 },
        ],
        onRowSelected: js(
          `Promise.all([${variantFields.map((field) => `resetWidget('${field}', true)`).join(', ')}])`,
        ),
      },
    ),
    input(
      'VariantSku',
      { top: 35, left: 1, height: 7, width: 20 },
      { label: 'SKU', required: true, defaultText: js(`${variantRow}.sku || ''`) },
    ),
    input(
      'VariantPrice',
      { top: 35, left: 22, height: 7, width: 20 },
      {
        label: 'Price (minor units)',
        type: 'NUMBER',
        required: true,
        defaultText: js(`${variantRow}.priceCents ?? ''`),
      },
    ),
    input(
      'VariantStock',
      { top: 35, left: 43, height: 7, width: 20 },
      { label: 'Stock', type: 'NUMBER', required: true, defaultText: js(`${variantRow}.stock ?? ''`) },
    ),
    ...Array.from({ length: maxOptions }, (_, index) => optionChoice(index)),
    button(
      'RemoveVariant',
      { top: 52, left: 1, height: 4, width: 14 },
      {
        label: 'Remove variant',
        variant: 'SECONDARY',
        isDisabled: js(`!${variantRow}.id`),
        onClick: save('deleteVariant', 'Variant removed', 'Could not remove the variant'),
      },
    ),
    button(
      'CloseVariants',
      { top: 52, left: 17, height: 4, width: 12 },
      { label: 'Close', variant: 'SECONDARY', onClick: js(`closeModal('${name}')`) },
    ),
    button(
      'AddVariant',
      { top: 52, left: 33, height: 4, width: 14 },
      {
        label: 'Add as new',
        variant: 'SECONDARY',
        onClick: save('addVariant', 'Variant added', 'Could not add the variant'),
      },
    ),
    button(
      'SaveVariant',
      { top: 52, left: 49, height: 4, width: 14 },
      {
        label: 'Save changes',
        isDisabled: js(`!${variantRow}.id`),
        onClick: save('updateVariant', 'Variant saved', 'Could not save the variant'),
      },
    ),
  ]);
}
