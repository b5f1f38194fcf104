/** report.html: the run for a human, one self-contained file that opens offline (see page.ts). */
import type { Reporter } from '../reporter.ts';
import { renderReport } from './page.ts';

export const htmlReporter: Reporter = {
  format: 'html',
  file: 'report.html',
  render: (result) => renderReport(result),
};
