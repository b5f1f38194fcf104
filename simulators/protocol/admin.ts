/**
 * The harness's admin side of the reference protocol: health, seeding the world and applying access changes.
 * Admin calls go straight to the target, never through the fault proxy, so an injected outage cannot stop the
 * run from changing who owns what. The token is sent, never echoed into an error; a redirect is never followed.
 */
import { UnavailableError } from '../../src/cli/exit.ts';
import { redirectRefused } from '../../src/protocol/redirect.ts';
import { ErrorBody, Health, type WorldSeed } from '../../src/protocol/schema.ts';
import type { AccessChange } from '../../src/world/types.ts';

/** An admin call that did not answer as the protocol says; `status` is 0 when no answer came at all. */
export class AdminCallError extends Error {
  constructor(readonly call: string, readonly status: number, detail: string) {
    super(`${call}: ${detail}`);
    this.name = 'AdminCallError';
  }
}

export interface AdminClient {
  health(): Promise<{ capabilities: string[] }>;
  seed(world: WorldSeed): Promise<void>;
  apply(change: AccessChange): Promise<void>;
}

export function adminClient(base: string, adminToken: string, timeoutMs = 10_000): AdminClient {
  async function call(method: string, path: string, body?: unknown, expected = 204): Promise<Response> {
    const name = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AdminCallError(name, 0, `no answer (${(error as Error).message})`);
    }
    const redirect = redirectRefused(response.status);
    if (redirect) {
      await response.body?.cancel();
      throw new AdminCallError(name, response.status, redirect);
    }
    if (response.status !== expected) {
      const text = await response.text().catch(() => '');
      const parsed = ErrorBody.safeParse(safeJson(text));
      const detail = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : text.slice(0, 200);
      throw new AdminCallError(name, response.status, `answered ${response.status}, expected ${expected}${detail ? ` (${detail})` : ''}`);
    }
    return response;
  }

  return {
    async health() {
      let response: Response;
      try {
        response = await call('GET', '/v1/health', undefined, 200);
      } catch (error) {
        if (error instanceof AdminCallError && error.status === 0) {
          throw new UnavailableError(`cannot reach the target at ${base}`, 'is it running, and is the URL right?');
        }
        if (error instanceof AdminCallError) throw new UnavailableError(`the target at ${base}: ${error.message}`, 'is this a camera cloud speaking PROTOCOL.md?');
        throw error;
      }
      const parsed = Health.safeParse(safeJson(await response.text()));
      if (!parsed.success) throw new UnavailableError(`the target at ${base} answered /v1/health with garbage`, 'is this a camera cloud speaking PROTOCOL.md?');
      return { capabilities: parsed.data.capabilities };
    },
    async seed(world) {
      await call('PUT', '/v1/admin/world', world);
    },
    async apply(change) {
      const camera = `/v1/admin/cameras/${encodeURIComponent(change.cameraId)}`;
      if (change.kind === 'transfer') await call('PUT', `${camera}/owner`, { ownerId: change.toUserId });
      else if (change.kind === 'share') await call('PUT', `${camera}/shares/${encodeURIComponent(change.userId)}`);
      else await call('DELETE', `${camera}/shares/${encodeURIComponent(change.userId)}`);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
