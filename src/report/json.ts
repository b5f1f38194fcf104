/** summary.json: the machine-readable contract (see summary.ts), pretty-printed for humans reading CI artifacts. */
import type { Reporter } from './reporter.ts';

export const jsonReporter: Reporter = {
  format: 'json',
  file: 'summary.json',
  render: (result) => `${JSON.stringify(result.summary, null, 2)}\n`,
};
