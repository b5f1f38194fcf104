import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalHeader } from '../../src/run/journal.ts';
import { readJournal } from '../../src/run/journal-reader.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import type { World } from '../../src/world/types.ts';

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

  it('refuses a file that is not a journal with one clear error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'other.ndjson');
    writeFileSync(path, '{"hello":1}\n');
    await expect(readJournal(path, () => undefined)).rejects.toThrow(/first line does not describe a run/);
  });
});
