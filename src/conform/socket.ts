/**
 * A WebSocket as conform needs it: JSON messages pulled one at a time with a timeout, the close code awaited
 * with a timeout, and an HTTP answer instead of an upgrade reported as such rather than as an opaque error.
 */
import WebSocket from 'ws';
import { socketErrorText } from '../protocol/answer-body.ts';
import { MAX_TARGET_FRAME_BYTES } from '../protocol/limits.ts';

export interface CloseInfo {
  code: number;
  reason: string;
}

/** A WebSocket to the target whose every wait is bounded. */
export class ProtocolSocket {
  private readonly ws: WebSocket;
  private readonly inbox: unknown[] = [];
  private waiters: (() => void)[] = [];
  private closeInfo: CloseInfo | undefined;
  /** Why the socket never opened or broke: an HTTP status instead of an upgrade, a network error. */
  private failure: string | undefined;
  private isOpen = false;

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
    headers: Record<string, string> = {},
  ) {
    this.ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, maxPayload: MAX_TARGET_FRAME_BYTES });
    this.ws.on('open', () => {
      this.isOpen = true;
      this.wake();
    });
    this.ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      try {
        this.inbox.push(isBinary ? { binaryFrame: text.length } : JSON.parse(text));
      } catch {
        this.inbox.push(new NotJson(text));
      }
      this.wake();
    });
    this.ws.on('unexpected-response', (request, response) => {
      this.failure = `HTTP ${response.statusCode} instead of a WebSocket upgrade`;
      response.resume();
      request.destroy();
      this.closeInfo ??= { code: 1006, reason: this.failure };
      this.wake();
    });
    this.ws.on('error', (error) => {
      this.failure ??= socketErrorText(error, url);
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closeInfo ??= { code, reason: reason.toString('utf8') };
      this.wake();
    });
  }

  /** Resolves once open; throws with the reason when the target refused or closed instead. */
  async opened(): Promise<void> {
    await this.until(() => this.isOpen || this.closeInfo !== undefined || this.failure !== undefined, 'to open');
    if (this.isOpen) return;
    throw new Error(`${this.url} did not open: ${this.failure ?? `closed with code ${this.closeInfo?.code}`}`);
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message, parsed; throws when none arrives in time or the socket closes first. */
  async next(timeoutMs = this.timeoutMs): Promise<unknown> {
    await this.until(() => this.inbox.length > 0 || this.closeInfo !== undefined, 'to send a message', timeoutMs);
    const message = this.inbox.shift();
    if (message === undefined) {
      throw new Error(`socket closed with code ${this.closeInfo?.code} before sending a message`);
    }
    if (message instanceof NotJson) throw new Error(`socket sent a non-JSON frame: ${message.text.slice(0, 120)}`);
    return message;
  }

  /** Messages that arrived so far, without waiting; used to prove something was NOT pushed. */
  drain(): unknown[] {
    return this.inbox.splice(0).map((message) => (message instanceof NotJson ? { notJson: message.text } : message));
  }

  /** Resolves with the close code once closed; throws when still open after the timeout. */
  async closed(timeoutMs = this.timeoutMs): Promise<CloseInfo> {
    await this.until(() => this.closeInfo !== undefined, 'to close', timeoutMs);
    return this.closeInfo as CloseInfo;
  }

  get closeCode(): number | undefined {
    return this.closeInfo?.code;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private async until(ready: () => boolean, what: string, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`socket did not ${what.replace(/^to /, '')} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

class NotJson {
  constructor(readonly text: string) {}
}
