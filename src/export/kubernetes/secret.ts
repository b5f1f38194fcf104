/**
 * The Secret the worker pods read what must not sit in the Job: the collector token and the run's seed.
 *
 * Why the seed: the world is a pure function of it (src/world/build.ts draws every user's password and every
 * camera's device secret from `randomStream(seed, ...)`), so whoever knows the seed can log in as every simulated
 * user and connect as every simulated camera on the target. There are no other world secrets to carry: nothing in
 * the world is drawn from anywhere else. A Job is read far more widely than a Secret (`get jobs`, dashboards,
 * describe output, CI logs of `kubectl apply`), so the Job only names these keys. The judge's admin token is not
 * here at all: the workers never use it (the judge seeds the world and changes access; pods only act as users and
 * cameras).
 */
import { randomBytes } from 'node:crypto';
import type { ISecret } from 'kubernetes-models/v1/Secret';

export const SECRET_NAME = 'stampede-run';
export const TOKEN_KEY = 'collector-token';
export const SEED_KEY = 'seed';

/** A fresh collector token: 32 random bytes, URL-safe so it travels in a header or a file unchanged. */
export function freshCollectorToken(): string {
  return randomBytes(32).toString('base64url');
}

export function buildSecret(token: string, seed: number): ISecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET_NAME, labels: { 'app.kubernetes.io/name': 'stampede' } },
    type: 'Opaque',
    // stringData: kubectl encodes it, and the file stays readable to the person who checks what it holds.
    stringData: { [TOKEN_KEY]: token, [SEED_KEY]: String(seed) },
  };
}
