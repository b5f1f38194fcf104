/**
 * The Secret the worker pods read what must not sit in the Job: the collector token, the run's seed, the adapter's
 * options and the world file's secrets.
 *
 * Why the seed: a generated world is a pure function of it (src/world/build.ts draws every user's password and every
 * camera's device secret from `randomStream(seed, ...)`), so whoever knows the seed can log in as every simulated
 * user and connect as every simulated camera on the target. A world file's accounts are the backend's real ones:
 * their secrets are the `${NAME}` variables the file names, each a key here that the pods get as that variable
 * (a secret written literally in the file is in the image, as the file is). `--adapter-option` values (API keys,
 * an admin key) go as the one JSON value the worker reads from STAMPEDE_ADAPTER_OPTIONS. A Job is read far more
 * widely than a Secret (`get jobs`, dashboards, describe output, CI logs of `kubectl apply`), so the Job only
 * names these keys. The judge's admin token is not here at all: the workers never use it (the judge seeds the
 * world and changes access; pods only act as users and cameras).
 */
import { randomBytes } from 'node:crypto';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { ExportPlan } from './plan.ts';

export const SECRET_NAME = 'stampede-run';
export const TOKEN_KEY = 'collector-token';
export const SEED_KEY = 'seed';
export const ADAPTER_OPTIONS_KEY = 'adapter-options';

/** The key of a world file's `${NAME}` secret (a variable name is a valid key; the prefix keeps it from the others). */
export function worldSecretKey(name: string): string {
  return `world.${name}`;
}

/** A fresh collector token: 32 random bytes, URL-safe so it travels in a header or a file unchanged. */
export function freshCollectorToken(): string {
  return randomBytes(32).toString('base64url');
}

export function buildSecret(token: string, plan: Pick<ExportPlan, 'seed' | 'adapterOptions' | 'worldSecrets'>): ISecret {
  const options: Record<string, string> = Object.keys(plan.adapterOptions).length > 0 ? { [ADAPTER_OPTIONS_KEY]: JSON.stringify(plan.adapterOptions) } : {};
  const world = Object.fromEntries(Object.entries(plan.worldSecrets).map(([name, value]) => [worldSecretKey(name), value]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET_NAME, labels: { 'app.kubernetes.io/name': 'stampede' } },
    type: 'Opaque',
    // stringData: kubectl encodes it, and the file stays readable to the person who checks what it holds.
    stringData: { [TOKEN_KEY]: token, [SEED_KEY]: String(plan.seed), ...options, ...world },
  };
}
