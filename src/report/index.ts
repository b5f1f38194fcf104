/** The reporters every run writes, in order; summary.json first, since CI jobs and `stampede report` read it. */
import { jsonReporter } from './json.ts';
import type { Reporter } from './reporter.ts';

export const reporters: readonly Reporter[] = [jsonReporter];
