/**
 * A target that floods every camera's device socket with garbage frames: every frame is an error the run counts,
 * but the journal holds a few examples of each kind and counts for the rest instead of a record each, and
 * `stampede report`, judging that journal again, counts the same errors as the live run.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { EXAMPLES_PER_KIND } from '../../src/run/error-fold.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

const TOKEN = 'flood-test-token';
let server: Server;
let sockets: WebSocketServer;
let url: string;

/** Health and seeding answer as the protocol says; everything else a user asks is 503; devices get garbage. */
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v1/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","capabilities":[]}');
    if (req.method === 'PUT' && req.url === '/v1/admin/world') return void req.resume().on('end', () => res.writeHead(204).end());
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable","message":"down"}}');
  });
  sockets = new WebSocketServer({ server, path: '/v1/device' });
  sockets.on('connection', (socket: WebSocket) => {
    let n = 0;
    // A bounded burst per tick, and none while the socket is backed up: a flood, not a memory test of this server
    // (a socket cut by an outage reads as drained until its close event runs, so "until backed up" never ends).
    const flood = setInterval(() => {
      for (let burst = 0; burst < 100 && socket.readyState === socket.OPEN && socket.bufferedAmount < 64 * 1024; burst += 1) {
        socket.send(`garbage frame ${n++} ${'x'.repeat(64)}`);
      }
    }, 1);
    socket.on('close', () => clearInterval(flood));
    socket.on('error', () => clearInterval(flood));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets?.clients ?? []) socket.terminate();
  await new Promise<void>((resolve) => sockets?.close(() => resolve()));
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('a target flooding garbage frames', () => {
  it('the journal keeps examples and counts, not a record per error, and a report counts the same errors', async () => {
    const out = runDir('flood');
    const live = await stampede(['run', 'storm', '--target', url, '--admin-token', TOKEN, '--cameras', '3', '--users', '1', '--duration', '10', '--seed', '4', '--quiet', '--out', out]);
    expect(live.code, live.stderr.slice(-2000)).not.toBe(0); // nothing was observed: never a pass
    const summary = readSummary(out);
    const journal = readFileSync(join(out, 'journal.ndjson'), 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as HistoryRecord);
    const errors = journal.filter((record): record is Extract<HistoryRecord, { type: 'error' }> => record.type === 'error');
    const garbage = errors.filter((record) => record.message.startsWith('unexpected device message'));
    // Every error is counted, in the summary and in the journal's counts...
    expect(errors.reduce((sum, record) => sum + (record.count ?? 1), 0)).toBe(summary.errors);
    expect(garbage.reduce((sum, record) => sum + (record.count ?? 1), 0)).toBeGreaterThan(EXAMPLES_PER_KIND * 10);
    // ...but garbage frames are written in full only as the first few examples of their kind.
    expect(garbage.filter((record) => record.count === undefined)).toHaveLength(EXAMPLES_PER_KIND);
    expect(errors.length).toBeLessThan(summary.errors);
    const again = runDir('flood-again');
    const report = await stampede(['report', out, '--out', again]);
    expect(report.code, report.stderr).toBe(live.code);
    expect(readSummary(again).errors).toBe(summary.errors);
  }, 120_000);
});
