/**
 * Push over Server-Sent Events, bridged from the broker. The push gateway holds no authorization of its own: for
 * each user with an open stream it logs in to the broker as that user (an account minted at every seed) and
 * subscribes to every feed, `feeds/+`, trusting the broker's ACL (`pattern read feeds/%u`) to deliver only the
 * user's own. One ACL line therefore guards every user's push, and the mqtt-acl-wildcard bug is that line
 * written without `%u`. One broker connection per user, shared by that user's streams, closed with the last one.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { connect, type MqttClient } from 'mqtt';
import { ANY_FEED } from './topics.ts';

/** A stream whose reader is this far behind is ended; the app catches up through its feed. */
const MAX_UNSENT_BYTES = 1024 * 1024;
/** A comment line this often keeps proxies from closing an idle stream. */
const PING_MS = 15_000;

interface Gateway {
  client: MqttClient;
  streams: Set<ServerResponse>;
  ready: Promise<void>;
  ping: NodeJS.Timeout;
}

export class PushGateways {
  private readonly gateways = new Map<string, Gateway>();

  constructor(
    private readonly brokerUrl: string,
    private readonly passwordOf: (userId: string) => string | undefined,
  ) {}

  /**
   * Makes `res` a push stream of `userId`: resolves once the user's gateway is subscribed, with the SSE headers
   * and a `ready` event written; rejects (nothing written) when the broker does not take the gateway.
   */
  async open(userId: string, res: ServerResponse): Promise<void> {
    const gateway = this.gateways.get(userId) ?? this.start(userId);
    gateway.streams.add(res);
    res.on('close', () => this.detach(userId, gateway, res));
    try {
      await gateway.ready;
    } catch (error) {
      this.detach(userId, gateway, res);
      throw error;
    }
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('event: ready\ndata: {}\n\n');
  }

  /** Ends every stream and gateway: the world was replaced, or the cloud is stopping. */
  closeAll(): void {
    for (const [userId, gateway] of this.gateways) this.shut(userId, gateway);
  }

  private start(userId: string): Gateway {
    const client = connect(this.brokerUrl, {
      username: userId,
      password: this.passwordOf(userId) ?? '',
      clientId: `push-${userId}-${randomBytes(4).toString('hex')}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.on('error', () => undefined); // surfaces as a failed `ready` or as `close`
    const ready = new Promise<void>((resolve, reject) => {
      client.once('connect', () => {
        client.subscribeAsync(ANY_FEED, { qos: 0 }).then((granted) => {
          if (granted.some((grant) => grant.qos > 2)) reject(new Error('the broker refused the push subscription'));
          else resolve();
        }, reject);
      });
      client.once('close', () => reject(new Error('the broker closed the push gateway')));
    });
    ready.catch(() => undefined);
    const gateway: Gateway = {
      client,
      streams: new Set(),
      ready,
      ping: setInterval(() => this.send(gateway, ': ping\n\n'), PING_MS).unref(),
    };
    // What the broker delivers is sent as it is: the gateway trusts the ACL to have delivered only the user's own.
    client.on('message', (_topic, payload) => {
      let id = '';
      try {
        id = String((JSON.parse(payload.toString('utf8')) as { id?: unknown }).id ?? '');
      } catch {
        return;
      }
      this.send(gateway, `event: clip\nid: ${id}\ndata: ${payload.toString('utf8')}\n\n`);
    });
    client.on('close', () => {
      if (this.gateways.get(userId) === gateway) this.shut(userId, gateway);
    });
    this.gateways.set(userId, gateway);
    return gateway;
  }

  private send(gateway: Gateway, text: string): void {
    for (const res of gateway.streams) {
      if (!res.headersSent || res.destroyed) continue;
      if (res.writableLength > MAX_UNSENT_BYTES) res.destroy();
      else res.write(text);
    }
  }

  private detach(userId: string, gateway: Gateway, res: ServerResponse): void {
    gateway.streams.delete(res);
    if (gateway.streams.size === 0 && this.gateways.get(userId) === gateway) this.shut(userId, gateway);
  }

  private shut(userId: string, gateway: Gateway): void {
    if (this.gateways.get(userId) === gateway) this.gateways.delete(userId);
    clearInterval(gateway.ping);
    gateway.client.end(true);
    for (const res of gateway.streams) res.end();
    gateway.streams.clear();
  }
}
