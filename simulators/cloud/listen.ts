/** Listening for a simulated cloud, with the one clear error a user can act on. */
import type { Server } from 'node:net';
import { UnavailableError, UsageError } from '../../src/errors.ts';

/** Listens on host:port; a port or host the user picked badly is bad usage, anything else a failure to run (not exit 2). */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4_096 }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
      throw new UsageError(`cannot listen on ${host}:${port} (${error.code})`, 'pick another --port or --host');
    }
    throw new UnavailableError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`);
  });
}
