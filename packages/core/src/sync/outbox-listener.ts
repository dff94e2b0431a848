import pg from 'pg';

/** The channel the outbox triggers notify at commit (new events, and events put back for a replay). */
export const outboxChannel = 'lapak_outbox';

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * Calls `onNotify` whenever an outbox change commits. Uses its own connection (LISTEN holds
 * it); when the connection drops, `onError` is told and the caller decides (the relay keeps
 * polling and listens again).
 */
export async function listenToOutbox(
  databaseUrl: string,
  onNotify: () => void,
  onError: (error: Error) => void,
): Promise<OutboxListener> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'lapak-outbox-listener' });
  client.on('notification', () => onNotify());
  client.on('error', onError);
  await client.connect();
  await client.query(`listen ${outboxChannel}`);
  return {
    async close() {
      client.removeAllListeners('notification');
      await client.end().catch(() => {});
    },
  };
}
