/**
 * The target under check as the areas see it: its HTTP client, a way to open WebSockets that are all closed
 * when the area ends, the capabilities it declared, and the admin token (which never leaves this object).
 */
import { TargetHttp } from './client.ts';
import type { Capability } from './expectation.ts';
import type { Subject } from './runner.ts';
import { ProtocolSocket } from './socket.ts';

export interface TargetOptions {
  base: URL;
  adminToken: string;
  timeoutMs: number;
  /** How long after an access change either answer is accepted (docs/protocol.md: 2 s by default). */
  graceMs: number;
}

/** The running backend under check, shared by every area of one conformance run. */
export class Target implements Subject<Capability> {
  readonly http: TargetHttp;
  readonly timeoutMs: number;
  readonly graceMs: number;
  readonly adminToken: string;
  /** Filled from `/v1/health`; until then, or when health is garbage, every capability is assumed. */
  capabilities: Set<Capability> = new Set(['stream', 'thumbnails', 'shares', 'transfer']);
  private readonly sockets = new Set<ProtocolSocket>();
  /** Set when the run is over: a step abandoned at its time limit may still try to open a socket. */
  private finished = false;

  constructor(options: TargetOptions) {
    this.http = new TargetHttp(options.base, options.timeoutMs);
    this.timeoutMs = options.timeoutMs;
    this.graceMs = options.graceMs;
    this.adminToken = options.adminToken;
  }

  /** Opens a WebSocket on `path` (http(s) base turned into ws(s)); closed by `closeSockets`. */
  socket(path: string, headers: Record<string, string> = {}): ProtocolSocket {
    const socket = new ProtocolSocket(this.http.url(path, 'ws'), this.timeoutMs, headers);
    if (this.finished) socket.close();
    else this.sockets.add(socket);
    return socket;
  }

  lacking(needs: readonly Capability[]): string | undefined {
    const missing = needs.filter((capability) => !this.capabilities.has(capability));
    return missing.length > 0 ? `target does not declare capability ${missing.join(', ')}` : undefined;
  }

  /** A target may echo what it was sent; the admin token must never reach the output. */
  redact(detail: string): string {
    return this.adminToken === '' ? detail : detail.split(this.adminToken).join('<admin token>');
  }

  closeSockets(): void {
    for (const socket of this.sockets) socket.close();
    this.sockets.clear();
  }

  /** Closes every socket now and any opened later. */
  finish(): void {
    this.finished = true;
    this.closeSockets();
  }

  /** Waits out the grace window after an access change, so either answer is no longer acceptable. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.graceMs + 100));
  }
}
