/** The reporters every run writes, in order; summary.json first, since CI jobs and `stampede report` read it. */
import { htmlReporter } from './html/index.ts';
import { jsonReporter } from './json.ts';
import { junitReporter } from './junit.ts';
import { markdownReporter } from './markdown.ts';
import type { Reporter } from './reporter.ts';

export const reporters: readonly Reporter[] = [jsonReporter, junitReporter, markdownReporter, htmlReporter];
