/**
 * The adapter contract suite: hook-level checks any adapter must pass against a correct backend. It is a function,
 * so each backend's test file runs the same suite through its own adapter: `adapterContract(adapter, target)`,
 * where `target()` gives the real endpoints, the adapter's options and how to seed the world (called after the
 * caller's own `beforeAll` started the backend). Every endpoint is reached through a Toxiproxy proxy of the
 * suite's own, so a cut connection is a real one, whatever the transport.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/adapter/call.ts';
import type { Adapter, AdapterContext, CameraItem, DeviceConnection, HttpAnswer, HttpCall, PushChannel, ShownItem, WorldSeedView } from '../../src/adapter/types.ts';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { endpoint, viaProxy } from '../../src/protocol/endpoint.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { makeEvent } from '../../simulators/protocol/camera-event.ts';
import { until } from '../drivers/helpers/world.ts';

export interface ContractTarget {
  /** The backend's real endpoints, by the names the adapter declares. */
  endpoints: Record<string, string>;
  options?: Record<string, string>;
  /** Makes the backend hold exactly this world. */
  seed(world: WorldSeedView): Promise<void>;
}

// The session type is the adapter's own; the suite only hands it back.
type AnyAdapter = Adapter<any>;

const WAIT_MS = 15_000;

export function adapterContract(adapter: AnyAdapter, target: () => ContractTarget): void {
  const tag = randomBytes(3).toString('hex');
  const world: WorldSeedView = {
    runId: `contract-${tag}`,
    users: [
      { id: `ua-${tag}`, login: `ua-${tag}@example.test`, secret: `pw-a-${tag}` },
      { id: `ub-${tag}`, login: `ub-${tag}@example.test`, secret: `pw-b-${tag}` },
    ],
    cameras: [
      { id: `ca-${tag}`, secret: `sa-${tag}`, owner: `ua-${tag}`, shares: [] },
      { id: `cb-${tag}`, secret: `sb-${tag}`, owner: `ub-${tag}`, shares: [`ua-${tag}`] },
      { id: `cc-${tag}`, secret: `sc-${tag}`, owner: `ub-${tag}`, shares: [] },
    ],
  };
  const [alice, bob] = world.users as [WorldSeedView['users'][0], WorldSeedView['users'][0]];
  const [ca, cb, cc] = world.cameras as [WorldSeedView['cameras'][0], WorldSeedView['cameras'][0], WorldSeedView['cameras'][0]];
  const abort = new AbortController();
  let toxiproxy: ToxiproxyServer;
  let proxies: ToxiproxyClient;
  const proxyNames: string[] = [];
  let ctx: AdapterContext;
  const opened: { close(): void | Promise<void> }[] = [];

  /** A link that keeps what the adapter reports. */
  const link = () => {
    const seen = { acked: [] as string[], dropped: 0, unreadable: [] as string[] };
    return { seen, link: { acked: (id: string) => void seen.acked.push(id), dropped: () => void seen.dropped++, unreadable: (m: string) => void seen.unreadable.push(m) } };
  };
  const sink = () => {
    const seen = { items: [] as ShownItem[], closed: 0 };
    return { seen, sink: { item: (item: ShownItem) => void seen.items.push(item), closed: () => void seen.closed++, unreadable: () => undefined } };
  };
  const connect = async (camera: typeof ca) => {
    const made = link();
    const connection: DeviceConnection = await adapter.devices.connect(ctx, camera, made.link);
    opened.push(connection);
    return { connection, seen: made.seen };
  };
  let sequence = 0;
  const send = async (connection: DeviceConnection, camera: typeof ca) => {
    const eventId = `${camera.id}.e${++sequence}`;
    const made = makeEvent({ runId: world.runId, cameraId: camera.id, eventId, kind: 0, ts: Date.now(), sizes: { min: 2048, max: 4096 }, key: 'contract' });
    await connection.send({ eventId, cameraId: camera.id, kind: made.kind, ts: Date.now(), thumbnail: made.thumbnail });
    return { eventId, thumbnail: made.thumbnail };
  };

  describe(`adapter contract: ${adapter.name}`, () => {
    beforeAll(async () => {
      const { endpoints, options = {}, seed } = target();
      await seed(world);
      toxiproxy = await startToxiproxy();
      proxies = new ToxiproxyClient(toxiproxy.url, 5000);
      const proxied: Record<string, string> = {};
      for (const name of adapter.endpoints) {
        const real = new URL(endpoints[name]!);
        const proxyName = `contract-${tag}-${name}`;
        const proxy = await proxies.createProxy({ name: proxyName, upstream: `${real.hostname}:${real.port}` });
        proxyNames.push(proxyName);
        proxied[name] = viaProxy(endpoints[name]!, proxy.listen);
      }
      ctx = { endpoints: proxied, signal: abort.signal, timeoutMs: 5000, options };
    });
    afterAll(async () => {
      await Promise.all(opened.map(async (each) => each.close())).catch(() => undefined);
      abort.abort();
      for (const name of proxyNames) await proxies?.deleteProxy(name).catch(() => undefined);
      await toxiproxy?.stop();
    });

    it('logs a user in, and a wrong secret is the backend\'s refusal', async () => {
      expect(await adapter.users.login(ctx, alice)).toBeDefined();
      const failure = await adapter.users.login(ctx, { ...alice, secret: 'wrong' }).then(() => undefined, classifyFailure);
      expect(failure?.kind).toBe('refused');
    });

    it('lists each user\'s cameras with the user\'s role', async () => {
      const roles = async (user: typeof alice) => {
        const cameras = await adapter.users.cameras(ctx, await adapter.users.login(ctx, user));
        return Object.fromEntries(cameras.map((camera) => [camera.cameraId, camera.role]));
      };
      expect(await roles(alice)).toEqual({ [ca.id]: 'owner', [cb.id]: 'shared' });
      expect(await roles(bob)).toEqual({ [cb.id]: 'owner', [cc.id]: 'owner' });
    });

    it('connects a device, sends events it acks, pushes them to the owner, and pages them in the list', async () => {
      const session = await adapter.users.login(ctx, alice);
      const pushed = sink();
      const channel: PushChannel = await adapter.users.push!(ctx, session, pushed.sink);
      opened.push(channel);
      const { connection, seen } = await connect(ca);
      const sent = [await send(connection, ca), await send(connection, ca), await send(connection, ca)];
      const ids = sent.map((event) => event.eventId);
      expect(await until(() => ids.every((id) => seen.acked.includes(id)), WAIT_MS)).toBe(true);
      expect(await until(() => ids.every((id) => pushed.seen.items.some((item) => item.eventId === id)), WAIT_MS)).toBe(true);
      for (const item of pushed.seen.items) expect(item.cameraId).toBe(ca.id);

      // Paging: two at a time, to the end, following the backend's own cursor.
      const listed: ShownItem[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await adapter.users.events(ctx, session, { cursor, limit: 2 });
        expect(page.events.length).toBeLessThanOrEqual(2);
        listed.push(...page.events);
        if (page.events.length === 0 || page.next === undefined) break;
        cursor = page.next;
      }
      expect(new Set(listed.map((item) => item.eventId))).toEqual(new Set(ids));
      for (const item of listed) expect(item.cameraId).toBe(ca.id);

      // Thumbnails: the owner gets the very bytes the camera sent; someone else's ask is refused.
      const answer = await adapter.users.thumbnail(ctx, session, { eventId: ids[0]!, cameraId: ca.id });
      expect(answer.status).toBe(200);
      expect(Buffer.from(answer.bytes!).equals(Buffer.from(sent[0]!.thumbnail))).toBe(true);
      const other = await adapter.users.login(ctx, bob);
      const probe = adapter.users.probe ?? adapter.users.thumbnail;
      const refusal = await probe(ctx, other, { eventId: ids[0]!, cameraId: ca.id }).then(
        (result) => result.status,
        (error) => (classifyFailure(error).kind === 'refused' ? (error as { status: number }).status : -1),
      );
      expect([401, 403, 404]).toContain(refusal);
    });

    // users.http is optional: refresh-storm refuses an adapter without it in one line (test/e2e/refresh-storm.test.ts),
    // so for such an adapter there are no plain-HTTP reads to hold against its hooks. Both built-in adapters have it.
    it.skipIf(adapter.users.http === undefined)('describes in users.http the very reads its hooks make (what refresh-storm drives)', async () => {
      const http = adapter.users.http!;
      // Bob's own camera, shared with nobody: Bob is shown its event, Alice is refused it.
      const session = await adapter.users.login(ctx, bob);
      const { connection, seen } = await connect(cc);
      const event = await send(connection, cc);
      expect(await until(() => seen.acked.includes(event.eventId), WAIT_MS)).toBe(true);
      const made = async (call: HttpCall): Promise<HttpAnswer> => {
        const base = ctx.endpoints[call.endpoint ?? adapter.endpoints[0]!]!;
        const response = await fetch(endpoint(base, call.path), { method: call.method, headers: call.headers, body: call.body, redirect: 'manual' });
        return { status: response.status, headers: Object.fromEntries(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
      };
      const items = (events: ShownItem[]) => events.map(({ eventId, cameraId, kind, ts }) => ({ eventId, cameraId, kind, ts }));
      const page = http.events.parse(await made(http.events.request(session, { limit: 100 })));
      const hookPage = await adapter.users.events(ctx, session, { limit: 100 });
      expect(items(page.events)).toEqual(items(hookPage.events));
      expect(page.events.map((item) => item.eventId)).toContain(event.eventId);
      expect(page.next).toEqual(hookPage.next);
      const byId = (list: CameraItem[]) => [...list].sort((a, b) => a.cameraId.localeCompare(b.cameraId));
      expect(byId(http.cameras.parse(await made(http.cameras.request(session))))).toEqual(byId(await adapter.users.cameras(ctx, session)));
      const thumbnail = http.thumbnail.parse(await made(http.thumbnail.request(session, { eventId: event.eventId, cameraId: cc.id })));
      expect(thumbnail.status).toBe(200);
      expect(Buffer.from(thumbnail.bytes!).equals(Buffer.from(event.thumbnail))).toBe(true);
      // Someone with no access asks: the answer is a refusal, returned or thrown as the adapter reads it.
      const stranger = await adapter.users.login(ctx, alice);
      const refusal = await Promise.resolve()
        .then(async () => http.thumbnail.parse(await made(http.thumbnail.request(stranger, { eventId: event.eventId, cameraId: cc.id }))).status)
        .catch((error: unknown) => (classifyFailure(error).kind === 'refused' ? (error as { status: number }).status : -1));
      expect([401, 403, 404]).toContain(refusal);
    });

    it('refuses a device with a wrong secret', async () => {
      const failure = await adapter.devices.connect(ctx, { ...cc, secret: 'wrong' }, link().link).then((connection) => {
        opened.push(connection);
        return undefined;
      }, classifyFailure);
      expect(failure?.kind).toBe('refused');
    });

    it('surfaces a cut connection: the device link hears dropped, the push sink hears closed', async () => {
      const session = await adapter.users.login(ctx, bob);
      const pushed = sink();
      opened.push(await adapter.users.push!(ctx, session, pushed.sink));
      const { seen } = await connect(cc);
      for (const name of proxyNames) await proxies.setEnabled(name, false);
      try {
        expect(await until(() => seen.dropped === 1 && pushed.seen.closed === 1, WAIT_MS)).toBe(true);
      } finally {
        for (const name of proxyNames) await proxies.setEnabled(name, true);
      }
    });
  });
}
