/** Listening for a simulated cloud, with the one clear error a user can act on. */
import type { Server } from 'node:net';
import { UnavailableError, UsageError } from '../../src/errors.ts';

/**
 * Connections the kernel holds for a cloud, over all its ports, before it accepts them. Too deep a queue only looks
 * kinder: when 10,000 clients storm a cloud that accepts about a thousand a second, 4,096 a port on 4 ports let the
 * queues grow past 7,000 connections, each waiting longer than its device waits for a welcome (10 s), and the cloud
 * spent its accepts on connections whose clients had given up: 4 of 6 such runs ended with 64 to 1,124 cameras
 * never back. Too shallow a queue turns handshakes away in the reconnect burst, and a device whose handshake the
 * kernel retries for seconds gives up too: with 2,048 over 8 ports, the last cameras came back only after 10.2 and
 * 11.6 s; with 4,096, after 7.4 and 7.6 s (two runs each, side by side).
 */
const WAITING = 4_096;

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
