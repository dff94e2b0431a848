/**
 * Appsmith widget DSL builders. Each builder returns a widget's own properties (what the
 * Appsmith editor writes when the widget is dropped and configured, as in the widget DSL of
 * Appsmith's own fixtures at DSL version 78); `buildPageDsl` then adds what every widget
 * carries (ids, parent ids, grid position, binding path lists). Appsmith migrates a page DSL
 * from its `version` to the running release's latest on load, so version 78 DSL keeps
 * importing into newer releases.
 */
import { stableId } from './stable-id';

/** The page DSL version this file writes (the main canvas `version`). */
export const DSL_VERSION = 78;
/** Appsmith's fixed layout grid: 64 columns, rows of 10 px. */
export const GRID_COLUMNS = 64;
const ROW_PX = 10;

export type Widget = { widgetName: string; type: string; children?: Widget[] } & Record<string, unknown>;

/** A widget's place on its canvas, in grid rows and columns. */
export interface Box {
  top: number;
  left: number;
  height: number;
  width: number;
}

const theme = {
  primaryColor: '{{appsmith.theme.colors.primaryColor}}',
  borderRadius: '{{appsmith.theme.borderRadius.appBorderRadius}}',
  boxShadow: '{{appsmith.theme.boxShadow.appBoxShadow}}',
  fontFamily: '{{appsmith.theme.fontFamily.appFont}}',
};

function placed(box: Box): Record<string, unknown> {
  const bottom = box.top + box.height;
  const right = box.left + box.width;
  if (box.left < 0 || right > GRID_COLUMNS) throw new Error(`A widget must fit the ${GRID_COLUMNS} columns`);
  return {
    topRow: box.top,
    bottomRow: bottom,
    leftColumn: box.left,
    rightColumn: right,
    mobileTopRow: box.top,
    mobileBottomRow: bottom,
    mobileLeftColumn: box.left,
    mobileRightColumn: right,
    originalTopRow: box.top,
    originalBottomRow: bottom,
    parentRowSpace: ROW_PX,
    parentColumnSpace: 10,
  };
}

/** What every widget on a canvas carries: its name, type and version, and its place. */
function placedWidget(name: string, type: string, version: number, box: Box) {
  return { widgetName: name, type, version, ...placed(box) };
}

const fixedHeight = { dynamicHeight: 'FIXED', minDynamicHeight: 4, maxDynamicHeight: 9000 };
/** A widget that stretches to its columns and shows a loading state while its data loads. */
const fills = { animateLoading: true, responsiveBehavior: 'fill', minWidth: 450 };
/** What every input, select and date picker shares: label above, enabled, theme colours. */
const formField = {
  labelPosition: 'Top',
  labelAlignment: 'left',
  labelTextSize: '0.875rem',
  labelWidth: 5,
  isDisabled: false,
  accentColor: theme.primaryColor,
  borderRadius: theme.borderRadius,
  boxShadow: 'none',
  ...fixedHeight,
  ...fills,
};

export function text(
  name: string,
  box: Box,
  value: string,
  style: { size?: 'heading' | 'body' | 'small'; bold?: boolean } = {},
): Widget {
  const fontSize = { heading: '1.5rem', body: '1rem', small: '0.875rem' }[style.size ?? 'body'];
  return {
    ...placedWidget(name, 'TEXT_WIDGET', 1, box),
    text: value,
    fontSize,
    fontStyle: (style.bold ?? style.size === 'heading') ? 'BOLD' : '',
    textAlign: 'LEFT',
    textColor: '#231F20',
    fontFamily: theme.fontFamily,
    truncateButtonColor: theme.primaryColor,
    borderRadius: theme.borderRadius,
    boxShadow: 'none',
    overflow: 'SCROLL',
    shouldTruncate: false,
    ...fixedHeight,
    ...fills,
  };
}

export function button(
  name: string,
  box: Box,
  options: { label: string; onClick: string; isDisabled?: string; variant?: 'PRIMARY' | 'SECONDARY' },
): Widget {
  return {
    ...placedWidget(name, 'BUTTON_WIDGET', 1, box),
    text: options.label,
    onClick: options.onClick,
    isDisabled: options.isDisabled ?? false,
    buttonVariant: options.variant ?? 'PRIMARY',
    buttonColor: theme.primaryColor,
    borderRadius: theme.borderRadius,
    boxShadow: 'none',
    placement: 'CENTER',
    isDefaultClickDisabled: true,
    disabledWhenInvalid: false,
    resetFormOnClick: false,
    recaptchaType: 'V3',
    animateLoading: true,
    responsiveBehavior: 'hug',
    minWidth: 120,
  };
}

/** The options every form field takes: its label, and whether it must be filled in. */
interface FieldOptions {
  label: string;
  required?: boolean;
}

/** A form field placed at `box`, with the look every field shares and whether it is required. */
function fieldWidget(name: string, type: string, version: number, box: Box, options: { required?: boolean }) {
  return { ...placedWidget(name, type, version, box), ...formField, isRequired: options.required ?? false };
}

export function input(
  name: string,
  box: Box,
  options: FieldOptions & {
    type?: 'TEXT' | 'NUMBER';
    defaultText?: string;
    placeholder?: string;
    onTextChanged?: string;
  },
): Widget {
  return {
    ...fieldWidget(name, 'INPUT_WIDGET_V2', 2, box, options),
    label: options.label,
    labelStyle: '',
    inputType: options.type ?? 'TEXT',
    defaultText: options.defaultText ?? '',
    placeholderText: options.placeholder ?? '',
    ...(options.onTextChanged ? { onTextChanged: options.onTextChanged } : {}),
    resetOnSubmit: true,
    autoFocus: false,
    showStepArrows: false,
    iconAlign: 'left',
  };
}

export interface Option {
  label: string;
  value: string;
}

export function select(
  name: string,
  box: Box,
  options: FieldOptions & {
    /** A static list, or a binding that evaluates to `{label, value}` objects. */
    options: Option[] | string;
    defaultValue?: string;
    onOptionChange?: string;
  },
): Widget {
  return {
    ...fieldWidget(name, 'SELECT_WIDGET', 1, box, options),
    labelText: options.label,
    options: options.options,
    defaultOptionValue: options.defaultValue ?? '',
    placeholderText: 'Select option',
    ...(options.onOptionChange ? { onOptionChange: options.onOptionChange } : {}),
    isFilterable: true,
    serverSideFiltering: false,
  };
}

export function datePicker(
  name: string,
  box: Box,
  options: FieldOptions & { onDateSelected?: string },
): Widget {
  return {
    ...fieldWidget(name, 'DATE_PICKER_WIDGET2', 2, box, options),
    label: options.label,
    datePickerType: 'DATE_PICKER',
    dateFormat: 'YYYY-MM-DD HH:mm',
    timePrecision: 'minute',
    defaultDate: '',
    minDate: '1920-12-31T18:30:00.000Z',
    maxDate: '2121-12-31T18:29:00.000Z',
    closeOnSelection: true,
    shortcuts: false,
    firstDayOfWeek: 1,
    ...(options.onDateSelected ? { onDateSelected: options.onDateSelected } : {}),
  };
}

export interface Column {
  /** The key in each row of the table data. */
  key: string;
  label: string;
  type?: 'text' | 'number' | 'button';
  hidden?: boolean;
  width?: number;
  /** A button column's label and click action (`currentRow` is the clicked row). */
  button?: { label: string; onClick: string; isDisabled?: string };
}

export function table(
  name: string,
  box: Box,
  options: { data: string; columns: Column[]; onRowSelected?: string; label?: string },
): Widget {
  const perRow = (expression: string) =>
    `{{${name}.processedTableData.map((currentRow, currentIndex) => ( ${expression}))}}`;
  const primaryColumns: Record<string, unknown> = {};
  options.columns.forEach((column, index) => {
    const type = column.button ? 'button' : (column.type ?? 'text');
    primaryColumns[column.key] = {
      index,
      width: column.width ?? 150,
      id: column.key,
      originalId: column.key,
      alias: column.key,
      label: column.label,
      columnType: type,
      computedValue: perRow(`currentRow[${JSON.stringify(column.key)}]`),
      isVisible: !column.hidden,
      isCellVisible: true,
      isCellEditable: false,
      isEditable: false,
      isDerived: false,
      isDisabled: false,
      enableFilter: true,
      enableSort: true,
      allowSameOptionsInNewRow: true,
      horizontalAlignment: 'LEFT',
      verticalAlignment: 'CENTER',
      textSize: '0.875rem',
      validation: {},
      sticky: '',
      labelColor: '#FFFFFF',
      ...(column.button
        ? {
            buttonLabel: perRow(JSON.stringify(column.button.label)),
            onClick: column.button.onClick,
            ...(column.button.isDisabled ? { isDisabled: column.button.isDisabled } : {}),
            buttonVariant: 'PRIMARY',
            buttonColor: perRow('appsmith.theme.colors.primaryColor'),
            borderRadius: perRow('appsmith.theme.borderRadius.appBorderRadius'),
            boxShadow: perRow("'none'"),
          }
        : {}),
    };
  });
  return {
    ...placedWidget(name, 'TABLE_WIDGET_V2', 1, box),
    label: options.label ?? 'Data',
    tableData: options.data,
    primaryColumns,
    columnOrder: options.columns.map((column) => column.key),
    columnWidthMap: {},
    derivedColumns: {},
    ...(options.onRowSelected ? { onRowSelected: options.onRowSelected } : {}),
    defaultSelectedRowIndex: 0,
    defaultSelectedRowIndices: [0],
    defaultPageSize: 0,
    totalRecordsCount: 0,
    serverSidePaginationEnabled: true,
    isVisiblePagination: false,
    isVisibleSearch: false,
    isVisibleFilters: true,
    isVisibleDownload: true,
    enableClientSideSearch: true,
    isSortable: true,
    searchKey: '',
    delimiter: ',',
    textSize: '0.875rem',
    horizontalAlignment: 'LEFT',
    verticalAlignment: 'CENTER',
    inlineEditingSaveOption: 'ROW_LEVEL',
    canFreezeColumn: true,
    needsHeightForContent: true,
    accentColor: theme.primaryColor,
    borderRadius: theme.borderRadius,
    boxShadow: theme.boxShadow,
    borderColor: '#E0DEDE',
    borderWidth: '1',
    childStylesheet: {
      button: { buttonColor: theme.primaryColor, borderRadius: theme.borderRadius, boxShadow: 'none' },
      menuButton: { menuColor: theme.primaryColor, borderRadius: theme.borderRadius, boxShadow: 'none' },
      iconButton: { buttonColor: theme.primaryColor, borderRadius: theme.borderRadius, boxShadow: 'none' },
      editActions: {
        saveButtonColor: theme.primaryColor,
        saveBorderRadius: theme.borderRadius,
        discardButtonColor: theme.primaryColor,
        discardBorderRadius: theme.borderRadius,
      },
    },
    ...fills,
  };
}

/**
 * A modal (hidden until `showModal(name)`); its children sit on its own canvas, in grid
 * rows counted from the modal's top. `width` and `height` are pixels.
 */
export function modal(name: string, size: { width: number; height: number }, children: Widget[]): Widget {
  return {
    widgetName: name,
    type: 'MODAL_WIDGET',
    version: 2,
    ...placed({ top: 0, left: 16, height: 1, width: 24 }),
    bottomRow: size.height,
    mobileBottomRow: size.height,
    originalBottomRow: size.height,
    width: size.width,
    height: size.height,
    isCanvas: true,
    detachFromLayout: true,
    canEscapeKeyClose: true,
    canOutsideClickClose: true,
    shouldScrollContents: true,
    borderRadius: theme.borderRadius,
    boxShadow: 'none',
    dynamicHeight: 'FIXED',
    minDynamicHeight: 24,
    maxDynamicHeight: 9000,
    animateLoading: true,
    children: [
      {
        widgetName: `${name}Canvas`,
        type: 'CANVAS_WIDGET',
        version: 1,
        detachFromLayout: true,
        canExtend: true,
        shouldScrollContents: false,
        isDisabled: false,
        minHeight: size.height,
        topRow: 0,
        bottomRow: size.height,
        leftColumn: 0,
        rightColumn: size.width,
        parentColumnSpace: 1,
        parentRowSpace: 1,
        children,
      },
    ],
  };
}

/** Where a page's widgets live: Appsmith's main canvas (widget id "0"). */
function mainCanvas(children: Widget[]): Widget {
  const lowest = Math.max(
    0,
    ...children.filter((c) => c.type !== 'MODAL_WIDGET').map((c) => c.bottomRow as number),
  );
  return {
    widgetName: 'MainContainer',
    type: 'CANVAS_WIDGET',
    version: DSL_VERSION,
    backgroundColor: 'none',
    containerStyle: 'none',
    detachFromLayout: true,
    canExtend: true,
    useAutoLayout: false,
    snapColumns: GRID_COLUMNS,
    snapRows: Math.max(124, lowest + 10),
    minHeight: 1292,
    topRow: 0,
    bottomRow: Math.max(1292, (lowest + 10) * ROW_PX),
    leftColumn: 0,
    rightColumn: 4896,
    parentColumnSpace: 1,
    parentRowSpace: 1,
    children,
  };
}

/** `onClick`, `onRowSelected`, … hold actions (trigger paths); other `{{…}}` values are bindings. */
const isTriggerKey = (key: string) => /^on[A-Z]/.test(key);

/** Property paths (`a.b.c`) of every string value that contains `{{`, split into triggers and bindings. */
function dynamicPaths(widget: Widget): { bindings: string[]; triggers: string[] } {
  const bindings: string[] = [];
  const triggers: string[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      (isTriggerKey(path.at(-1)!) ? triggers : bindings).push(path.join('.'));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
    }
  };
  for (const [key, value] of Object.entries(widget)) {
    // The theme defaults of a widget's child styles are not bindings of the widget itself.
    if (key !== 'children' && key !== 'childStylesheet') visit(value, [key]);
  }
  return { bindings, triggers };
}

/**
 * The page's DSL: the main canvas with `children`, every widget given a stable id (from the
 * page and widget name), its parent's id and its binding and trigger path lists.
 */
export function buildPageDsl(page: string, children: Widget[]): Widget {
  const names = new Set<string>();
  const finish = (widget: Widget, parentId: string | undefined): Widget => {
    if (names.has(widget.widgetName)) throw new Error(`Two widgets named ${widget.widgetName} on ${page}`);
    names.add(widget.widgetName);
    const widgetId = parentId === undefined ? '0' : stableId(`${page}/${widget.widgetName}`, 10);
    const { bindings, triggers } = dynamicPaths(widget);
    return {
      ...widget,
      widgetId,
      ...(parentId === undefined ? {} : { parentId }),
      key: stableId(`key/${widget.type}`, 10),
      renderMode: 'CANVAS',
      // A modal shows only when opened; the main canvas has no visibility of its own.
      ...(widget.type === 'MODAL_WIDGET' || parentId === undefined
        ? {}
        : { isVisible: widget.isVisible ?? true }),
      isLoading: false,
      isDeprecated: false,
      // Sorted: the theme bindings come first, which keeps Appsmith's select migration (it
      // renames `options` to `sourceData` only when `options` is not the first entry) working.
      dynamicBindingPathList: bindings.sort().map((key) => ({ key })),
      dynamicTriggerPathList: triggers.sort().map((key) => ({ key })),
      ...(widget.children ? { children: widget.children.map((child) => finish(child, widgetId)) } : {}),
    };
  };
  return finish(mainCanvas(children), undefined);
}

/** Every widget of a page DSL, depth first. */
export function allWidgets(root: Widget): Widget[] {
  return [root, ...(root.children ?? []).flatMap(allWidgets)];
}
