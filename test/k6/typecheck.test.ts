/** The k6 scripts type-check against @types/k6 alone (they run in k6, not Node), imported project files included. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('scenarios/k6', () => {
  it('passes tsc -p scenarios/k6 with no errors', async () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'scenarios/k6/tsconfig.json', '--listFiles'], { cwd: ROOT, timeout: 90_000 })
      .then(({ stdout }) => ({ code: 0, stdout }))
      .catch((error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }));
    expect(result.code, result.stdout.split('\n').filter((line) => line.includes('error')).join('\n')).toBe(0);
    // Checked against k6's types, and the project code the VUs import is checked with them.
    expect(result.stdout).toContain('@types/k6/websockets/index.d.ts');
    expect(result.stdout).toContain('src/world/provenance-core.ts');
    expect(result.stdout).not.toContain('@types/node/');
  }, 120_000);
});
