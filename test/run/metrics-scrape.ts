/**
 * Scrapes a Prometheus endpoint and reads the exposition text into samples, as a scraper would see them:
 * `name{label="value",...} number` per line, comments and blank lines skipped.
 */
export type Samples = Map<string, number>;

export async function scrape(url: string): Promise<{ contentType: string; samples: Samples; names: Set<string> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const text = await response.text();
  return { contentType: response.headers.get('content-type') ?? '', samples: parseExposition(text), names: metricNames(text) };
}

/** Samples keyed by `name{labels}` exactly as written (prom-client writes labels in declaration order). */
export function parseExposition(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

/** Metric families declared with `# TYPE`. */
function metricNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}

export function sample(samples: Samples, key: string): number {
  const value = samples.get(key);
  if (value === undefined) throw new Error(`no sample ${key} in ${[...samples.keys()].join(', ')}`);
  return value;
}
