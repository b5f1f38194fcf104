import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_PER_KIND } from '../../src/run/error-fold.ts';
import { Journal } from '../../src/run/journal.ts';
import { readJournal } from '../../src/run/journal-reader.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import type { World } from '../../src/world/types.ts';
import type { JournalHeader } from '../../src/world/journal-header.ts';

const world: World = {
  seed: 7,
  runId: 'r7',
  users: [{ userId: 'u-1', email: 'a@example.test', password: 'hunter2-secret', name: 'Ann' }],
  cameras: [{ cameraId: 'cam-1', secret: 'device-secret', name: 'Door', model: 'Cam', mac: '02:00:00:00:00:01', ownerId: 'u-1' }],
  shares: [],
  changes: [],
  graceMs: 2000,
};
const header: JournalHeader = { type: 'run', version: 1, startedAt: 1, scenario: 'storm', seed: 7, command: 'stampede run', settings: { target: 'embedded', bug: 'none', cameras: 1, users: 1, durationS: 10 }, world };

describe('journal', () => {
  it('writes records and reads them back in order, without secrets', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    const journal = new Journal(path, header);
    const records: HistoryRecord[] = [
      { type: 'phase', t: 2, name: 'warm-up' },
      { type: 'acked', t: 3, cameraId: 'cam-1', eventId: 'e1' },
    ];
    for (const record of records) journal.record(record);
    await journal.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('device-secret');
    const read: HistoryRecord[] = [];
    const contents = await readJournal(path, (record) => read.push(record));
    expect(read).toEqual(records);
    expect(contents.header.seed).toBe(7);
    expect(contents.tornLines).toBe(0);
  });

  it('skips a torn last line from a killed run and counts it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    const journal = new Journal(path, header);
    journal.record({ type: 'phase', t: 2, name: 'warm-up' });
    await journal.close();
    appendFileSync(path, '{"type":"acked","t":3,"came');
    const read: HistoryRecord[] = [];
    const contents = await readJournal(path, (record) => read.push(record));
    expect(read).toHaveLength(1);
    expect(contents.tornLines).toBe(1);
  });

  it('a corrupt line in the middle is an error naming its line, never skipped like a torn last line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    const journal = new Journal(path, header);
    journal.record({ type: 'phase', t: 2, name: 'warm-up' });
    await journal.close();
    appendFileSync(path, '{"type":"acked","t":3,"came\n{"type":"acked","t":4,"cameraId":"cam-1","eventId":"e2"}\n');
    const failure = readJournal(path, () => undefined);
    await expect(failure).rejects.toThrow(/corrupt at line 3/);
    await expect(failure).rejects.toMatchObject({ exitCode: 3 });
  });

  it('anything after the end mark makes the journal corrupt, a torn line included', async () => {
    for (const tail of ['{"type":"phase","t":9,"name":"x"}\n', '{"type":"pha']) {
      const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
      const journal = new Journal(path, header);
      journal.record({ type: 'end', t: 5, startedAt: 1 });
      await journal.close();
      appendFileSync(path, tail);
      await expect(readJournal(path, () => undefined), tail).rejects.toThrow(/corrupt at line 3: it follows the end mark/);
    }
  });

  it('a line that is JSON but not a record is corrupt', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    const journal = new Journal(path, header);
    await journal.close();
    appendFileSync(path, '42\n{"type":"phase","t":2,"name":"warm-up"}\n');
    await expect(readJournal(path, () => undefined)).rejects.toThrow(/corrupt at line 2: it is not a history record/);
  });

  it('calls a file that is not JSON what it is, not empty', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    writeFileSync(path, 'hello world\n');
    await expect(readJournal(path, () => undefined)).rejects.toThrow(/is not a Stampede journal: its first line is not JSON/);
    writeFileSync(path, '');
    await expect(readJournal(path, () => undefined)).rejects.toThrow(/is not a Stampede journal: it is empty/);
  });

  it('a disk that refuses the journal is reported, not swallowed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    symlinkSync('/dev/full', path); // every write: ENOSPC
    const heard: Error[] = [];
    const journal = new Journal(path, header, (error) => heard.push(error));
    journal.record({ type: 'phase', t: 2, name: 'warm-up' });
    await journal.close();
    expect(journal.error?.message).toMatch(/ENOSPC/);
    expect(heard.map((error) => error.message)).toEqual([journal.error?.message]);
  });

  it('a disk that fills up mid-run keeps every record that reached it (a small tmpfs; skipped where mounting is not allowed)', async (context) => {
    const mountpoint = mkdtempSync(join(tmpdir(), 'journal-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountpoint], { stdio: 'ignore' });
    } catch {
      context.skip('mounting a small tmpfs needs root and a kernel that allows it');
    }
    try {
      const path = join(mountpoint, 'journal.ndjson');
      const journal = new Journal(path, header);
      const records: HistoryRecord[] = [];
      for (let i = 0; i < 5000; i += 1) {
        const record: HistoryRecord = { type: 'acked', t: 10 + i, cameraId: 'cam-1', eventId: `cam-1.e${i}` };
        records.push(record);
        journal.record(record);
        if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 300)); // let timed flushes reach the disk
      }
      await journal.close();
      expect(journal.error?.message).toMatch(/ENOSPC/);
      const read: HistoryRecord[] = [];
      await readJournal(path, (record) => read.push(record));
      expect(read.length).toBeGreaterThan(0);
      expect(read.length).toBeLessThan(records.length);
      expect(read).toEqual(records.slice(0, read.length));
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });

  it('folds a flood of errors into a few examples per kind and counts that add up to every one of them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.ndjson');
    const journal = new Journal(path, header);
    for (let i = 0; i < 10_000; i += 1) {
      journal.record({ type: 'error', t: 10 + i, source: 'camera', cameraId: 'cam-1', message: `unexpected device message: garbage ${i}` });
      if (i % 3000 === 0) journal.flush();
      if (i % 10 === 0) journal.record({ type: 'error', t: 10 + i, source: 'user.events', userId: 'u-1', message: `GET /v1/events answered ${500 + (i % 4)}` });
    }
    journal.record({ type: 'end', t: 20_000, startedAt: 1 });
    await journal.close();
    const errors: Extract<HistoryRecord, { type: 'error' }>[] = [];
    let last: HistoryRecord | undefined;
    await readJournal(path, (record) => {
      last = record;
      if (record.type === 'error') errors.push(record);
    });
    const total = (source: string) => errors.filter((e) => e.source === source).reduce((sum, e) => sum + (e.count ?? 1), 0);
    expect(total('camera')).toBe(10_000);
    expect(total('user.events')).toBe(1000);
    // Two kinds: their first examples in full, then a count at each flush and one before the end mark.
    expect(errors.filter((e) => e.count === undefined)).toHaveLength(2 * EXAMPLES_PER_KIND);
    expect(errors.length).toBeLessThan(2 * EXAMPLES_PER_KIND + 20);
    expect(errors.slice(0, 2).map((e) => e.message)).toEqual(['unexpected device message: garbage 0', 'GET /v1/events answered 500']);
    expect(last?.type).toBe('end');
  });

  it('refuses a file that is not a journal with one clear error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'other.ndjson');
    writeFileSync(path, '{"hello":1}\n');
    await expect(readJournal(path, () => undefined)).rejects.toThrow(/first line does not describe a run/);
  });
});
