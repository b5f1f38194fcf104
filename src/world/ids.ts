/**
 * Identifiers of a world. Prefixed and zero-padded so a run's ids are recognisable in logs and target state,
 * and always within the protocol's ^[A-Za-z0-9._-]{1,64}$.
 */
import { hashText } from './random.ts';

const PAD = 6;

export function userId(index: number): string {
  return `u-${String(index).padStart(PAD, '0')}`;
}

export function cameraId(index: number): string {
  return `cam-${String(index).padStart(PAD, '0')}`;
}

/** Deterministic from the seed: the same seed names the same run, another seed a different one. */
export function runIdOf(seed: number): string {
  const digest = hashText(`stampede-run:${seed}`).toString(16).padStart(8, '0');
  return `run-${seed.toString(36)}-${digest}`;
}
