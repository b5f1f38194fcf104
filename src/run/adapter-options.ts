/**
 * `--adapter-option` values travel to workers in one environment variable, never in argv (process lists, the
 * Kubernetes pod spec's args), and every value is redacted wherever it could be written. A run given no
 * `--adapter-option` reads the same variable, so a judge started from a script (an export's judge.sh) gets its
 * options without them in its own argv.
 */
import { UsageError } from '../errors.ts';
import { keepSecret } from '../protocol/redact.ts';

export const ADAPTER_OPTIONS_ENV = 'STAMPEDE_ADAPTER_OPTIONS';

/** The options a worker was given through its environment; none when the variable is unset. */
export function adapterOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const text = env[ADAPTER_OPTIONS_ENV];
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
    throw new UsageError(`${ADAPTER_OPTIONS_ENV} is not a JSON object of strings`, 'the run sets it for its workers; set it the same way for workers started elsewhere');
  }
  const options = parsed as Record<string, string>;
  for (const value of Object.values(options)) keepSecret(value);
  return options;
}

/** Options read from the environment as the `--adapter-option KEY=VALUE` flags that would give them. */
export function adapterOptionFlags(options: Readonly<Record<string, string>>): string[] {
  return Object.entries(options).map(([key, value]) => `${key}=${value}`);
}
