/** Listening for a simulated cloud, with the one clear error a user can act on. */
import type { Server } from 'node:net';
import { UnavailableError, UsageError } from '../../src/errors.ts';

/**
 * Connections the kernel holds for a cloud, over all its ports, before it accepts them. A deeper queue only looks
 * kinder. When 10,000 clients storm a cloud that accepts a few hundred a second, 4,096 a port let the queues grow
 * past 7,000 connections, each waiting longer than its device waits for a welcome: the cloud then spent its accepts
 * on connections whose clients had given up. At 4,096 on each of 4 ports, 4 of 6 such runs ended with 64 to 1,124
 * cameras never back and 300 to 850 events lost; at 511 (Node's default), where the kernel turns the surplus away at
 * the handshake and the clients' retries pace the storm, 6 of 6 had every camera back and at most 99 events lost.
 */
const WAITING = 2_048;

/** Each port's share of WAITING, and never more than Node's default for one. */
export function backlogPerPort(ports: number): number {
  return Math.min(511, Math.ceil(WAITING / ports));
}

/** Listens on host:port; a port or host the user picked badly is bad usage, anything else a failure to run (not exit 2). */
export async function listen(server: Server, port: number, host = '127.0.0.1', backlog = backlogPerPort(1)): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog }, () => {
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
