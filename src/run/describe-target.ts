/** What a run storms, in words for its progress line. */
import type { RunConfig } from './config.ts';

export function describeTarget(config: Pick<RunConfig, 'target' | 'cloud' | 'adapter'>): string {
  const through = config.adapter.spec === 'reference' ? '' : ` through adapter ${config.adapter.name}`;
  if (!config.target) return `the embedded ${config.cloud} cloud${through}`;
  const endpoints = Object.entries(config.target.endpoints);
  const where = endpoints.length === 1 ? endpoints[0]![1] : endpoints.map(([name, url]) => `${name}=${url}`).join(', ');
  return `${where}${through}`;
}
