import { fileURLToPath } from 'node:url';

/** The committed Appsmith export that docker compose users import. */
export const exportFile = fileURLToPath(new URL('../lapak-admin.json', import.meta.url));
