import net from 'node:net';

function reachable(url: string, defaultPort: number): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort), timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timed out');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/**
 * Returns one line naming the first service that cannot be reached, where it looked and how to
 * start it; null when both answer.
 */
export async function checkServices(databaseUrl: string, redisUrl: string): Promise<string | null> {
  const pgError = await reachable(databaseUrl, 5432);
  if (pgError) {
    const { host } = new URL(databaseUrl);
    return `PostgreSQL is not reachable at ${host} (${pgError}); start it (e.g. \`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\`) or set DATABASE_URL.`;
  }
  const redisError = await reachable(redisUrl, 6379);
  if (redisError) {
    const { host } = new URL(redisUrl);
    return `Redis is not reachable at ${host} (${redisError}); start it (e.g. \`redis-server --daemonize yes --save "" --appendonly no\`) or set REDIS_URL.`;
  }
  return null;
}
