/**
 * Checks a manifest against the Kubernetes API's own schemas (kubernetes-models: the OpenAPI definitions of the
 * API server, compiled to JSON-schema validators), not by hand. A manifest the export wrote that fails here is a
 * bug in Stampede, so this throws a plain Error, which the CLI reports as an internal error.
 */
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Secret } from 'kubernetes-models/v1/Secret';

/** Throws naming the file and every schema violation the validator reports. */
export function validateManifest(file: string, manifest: unknown): void {
  const kind = (manifest as { kind?: unknown } | null)?.kind;
  try {
    if (kind === 'Job') new Job(manifest as ConstructorParameters<typeof Job>[0]).validate();
    else if (kind === 'Secret') new Secret(manifest as ConstructorParameters<typeof Secret>[0]).validate();
    else throw new Error(`kind ${String(kind)} is not one the export writes`);
  } catch (error) {
    throw new Error(`${file} is not a valid Kubernetes ${String(kind)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
