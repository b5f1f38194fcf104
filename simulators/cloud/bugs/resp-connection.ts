/**
 * One raw Redis connection speaking RESP, the way redis-py's Connection does: `send` writes a command and `read`
 * takes the next reply off the wire, whoever sent the command it answers. Nothing pairs a reply with its command;
 * that is the caller's job, and the chatgpt-2023 model (chatgpt-2023.ts) shows what happens when it is not done.
 */
import { connect, type Socket } from 'node:net';
import RedisParser from 'redis-parser';

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

interface Reader {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Where and as whom to connect, from a redis:// URL. */
export interface RespEndpoint {
  host: string;
  port: number;
  password?: string;
  db?: number;
}

export function parseRedisUrl(url: string): RespEndpoint {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') throw new Error(`unsupported cache URL scheme ${parsed.protocol}`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new Error('the cache URL path must be a database number');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(parsed.port || 6379),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    db,
  };
}

export class RespConnection {
  /** Replies that arrived while nobody was reading: they wait for the next `read`, as bytes in a socket do. */
  private readonly unread: Outcome[] = [];
  private reader: Reader | undefined;
  private closedWith: Error | undefined;
  private readonly parser = new RedisParser({
    returnReply: (value: unknown) => this.deliver({ ok: true, value }),
    returnError: (error: Error) => this.deliver({ ok: false, error }),
    returnFatalError: (error: Error) => this.fail(error),
  });

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.parser.execute(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('cache connection closed')));
  }

  /** A connected (and, if the URL says so, authenticated) connection, or a rejection within `timeoutMs`. */
  static async open(endpoint: RespEndpoint, timeoutMs: number): Promise<RespConnection> {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => socket.destroy(new Error('cache connect timed out')), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      const connection = new RespConnection(socket);
      if (endpoint.password !== undefined) await connection.call(['AUTH', endpoint.password]);
      if (endpoint.db !== undefined) await connection.call(['SELECT', String(endpoint.db)]);
      return connection;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get usable(): boolean {
    return this.closedWith === undefined;
  }

  send(args: readonly string[]): void {
    if (this.closedWith) throw this.closedWith;
    let frame = `*${args.length}\r\n`;
    for (const arg of args) frame += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    this.socket.write(frame);
  }

  /** The next reply on this connection: one left unread earlier, or the next to arrive. */
  read(): Promise<unknown> {
    const waiting = this.unread.shift();
    if (waiting) return waiting.ok ? Promise.resolve(waiting.value) : Promise.reject(waiting.error);
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  /** The reader gave up (a cancelled request): the reply it waited for will stay on the connection, unread. */
  abandonRead(): void {
    this.reader = undefined;
  }

  close(): void {
    this.socket.destroy();
  }

  private async call(args: readonly string[]): Promise<unknown> {
    this.send(args);
    return this.read();
  }

  private deliver(outcome: Outcome): void {
    const reader = this.reader;
    this.reader = undefined;
    if (!reader) this.unread.push(outcome);
    else if (outcome.ok) reader.resolve(outcome.value);
    else reader.reject(outcome.error);
  }

  private fail(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.socket.destroy();
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(error);
  }
}
