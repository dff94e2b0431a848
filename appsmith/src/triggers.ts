/** Small builders for the JavaScript the admin app's buttons and inputs run (`{{…}}` values). */

/** `{{expression}}` */
export const js = (expression: string) => `{{${expression}}}`;

/** A JavaScript string literal. */
export const str = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Runs `query` (a query name, or an expression choosing one); when it succeeds, closes `closeModal`, says `success` and re-runs `reload`;
 * when it fails, says `failure` with the message of the API's error body, and for a body the API
 * refused as invalid (`validation_failed`) each field's problem too: that message alone names no field.
 */
export function runQuery(
  query: string,
  options: { success: string; failure: string; reload?: string[]; closeModal?: string },
): string {
  const onSuccess = [
    ...(options.closeModal ? [`closeModal(${str(options.closeModal)});`] : []),
    `showAlert(${str(options.success)}, 'success');`,
    `return Promise.all([${(options.reload ?? []).map((name) => `${name}.run()`).join(', ')}]);`,
  ].join(' ');
  const error = `${query}.data?.error`;
  const fields =
    `(${error}?.code === 'validation_failed' && ${error}.details ? ' (' + ` +
    `Object.entries(${error}.details).map(([field, problem]) => field + ' ' + problem).join('; ') + ')' : '')`;
  const onFailure = `showAlert(${str(`${options.failure}: `)} + (${error}?.message ?? 'the API did not answer') + ${fields}, 'error')`;
  return js(`${query}.run().then(() => { ${onSuccess} }).catch(() => ${onFailure})`);
}

/**
 * Previous/next paging over an API list that answers `{items, nextCursor}`: the cursor of the
 * page shown is kept in the app's store under `key`, the cursors of the pages before it under
 * `<key>Trail` (in memory only: a reload starts at the first page again).
 */
export function cursorPager(query: string, key: string) {
  const cursor = `appsmith.store.${key}`;
  const trail = `(appsmith.store.${key}Trail || [])`;
  const set = (name: string, value: string) => `storeValue(${str(name)}, ${value}, false)`;
  const restart = `${set(key, "''")}.then(() => ${set(`${key}Trail`, '[]')}).then(() => ${query}.run())`;
  return {
    /** The list query paged through. */
    query,
    /** The `cursor` query parameter. */
    cursorParam: js(`${cursor} || ''`),
    /** Back to the first page and reload (after a filter changed); as an action and as a bare expression. */
    restart: js(restart),
    restartExpression: restart,
    next: js(
      `${set(`${key}Trail`, `${trail}.concat([${cursor} || ''])`)}.then(() => ${set(key, `${query}.data.nextCursor`)}).then(() => ${query}.run())`,
    ),
    previous: js(
      `${set(key, `${trail}.slice(-1)[0] || ''`)}.then(() => ${set(`${key}Trail`, `${trail}.slice(0, -1)`)}).then(() => ${query}.run())`,
    ),
    nextDisabled: js(`!${query}.data?.nextCursor`),
    previousDisabled: js(`${trail}.length === 0`),
    pageLabel: js(`'Page ' + (${trail}.length + 1)`),
  };
}

export type CursorPager = ReturnType<typeof cursorPager>;

/**
 * A modal form that both creates and edits: `open(mode)` keeps the mode in the app's store
 * under `key`, resets the modal's widgets (so their defaults read the mode and the selected
 * row afresh) and shows it; `editing` is true while it edits.
 */
export function formMode(key: string, modalName: string) {
  const editing = `appsmith.store.${key} === 'edit'`;
  return {
    editing,
    /** The modal's title: "Edit <noun>" or "New <noun>". */
    title: (noun: string) => js(`${editing} ? 'Edit ${noun}' : 'New ${noun}'`),
    /** A field's starting value: `expression` (of the selected row) when editing, else `otherwise`. */
    initial: (expression: string, otherwise = "''") => js(`${editing} ? ${expression} : ${otherwise}`),
    open: (mode: 'create' | 'edit') =>
      js(
        `storeValue('${key}', '${mode}', false).then(() => resetWidget('${modalName}', true)).then(() => showModal('${modalName}'))`,
      ),
  };
}

export type FormMode = ReturnType<typeof formMode>;
