/**
 * The journal: the run's history written to disk as it happens, one JSON record per line, so a run killed half
 * way still leaves its evidence and `stampede report` can judge it again. The first line describes the run and
 * its world with every secret (passwords, camera secrets) removed; every line passes the one redaction point. Repeated errors are folded into counts after a
 * few examples of each kind (error-fold.ts), so a flood of garbage cannot fill the disk.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { redactDeep } from '../protocol/redact.ts';
import type { HistoryRecord, Recorder } from '../world/history.ts';
import type { JournalHeader } from '../world/journal-header.ts';
import type { World } from '../world/types.ts';
import { ErrorFold } from './error-fold.ts';

/** Flushes at least this often, so a killed run loses at most this much. */
const FLUSH_MS = 250;
const FLUSH_BYTES = 256 * 1024;

export class Journal implements Recorder {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private failure: Error | undefined;
  /** Repeated errors, folded into counts after a few examples of each kind. */
  private readonly errors = new ErrorFold();
  private ended = false;
  private readonly onFailure: ((error: Error) => void) | undefined;

  /** `onFailure` hears the first write error at once, so the run can say so while it goes. */
  constructor(readonly path: string, header: JournalHeader, onFailure?: (error: Error) => void) {
    // Never reopened or truncated after a failure: what reached the disk stays there, as a torn journal.
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => this.failed(error));
    this.onFailure = onFailure;
    this.stream.write(`${JSON.stringify(redactDeep({ ...header, world: withoutSecrets(header.world) }))}\n`);
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  record(record: HistoryRecord): void {
    if (this.failure) return; // nothing more can reach the disk; the run ends in error naming this file
    if (this.ended) return; // a straggler after the end mark: the journal's last line stays the end mark
    if (record.type === 'error') {
      const example = this.errors.take(record);
      if (example) this.write(example);
      return;
    }
    // Nothing follows the end mark: the counts folded so far go before it.
    if (record.type === 'end') {
      this.writeFolded();
      this.ended = true;
    }
    this.write(record);
  }

  private write(record: HistoryRecord): void {
    // A record can carry what a target answered, and a target may echo back a token or password it was sent.
    const line = `${JSON.stringify(redactDeep(record))}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private writeFolded(): void {
    for (const count of this.errors.drain()) this.write(count);
  }

  /** The first write error, if the disk refused us; the run reports it rather than losing evidence silently. */
  get error(): Error | undefined {
    return this.failure;
  }

  flush(): void {
    if (this.failure) return;
    this.writeFolded();
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Flushes and closes; resolves once the bytes are handed to the OS (or the disk refused them: see `error`). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    // The end callback can run before the stream's 'error' event: ask the stream itself.
    if (this.stream.errored) this.failed(this.stream.errored);
  }

  private failed(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.pending = [];
    this.pendingBytes = 0;
    this.onFailure?.(error);
  }
}

/** The world as it may be written down: no passwords, no device secrets. */
export function withoutSecrets(world: World): World {
  return {
    ...world,
    users: world.users.map((user) => ({ ...user, password: '' })),
    cameras: world.cameras.map((camera) => ({ ...camera, secret: '' })),
  };
}
