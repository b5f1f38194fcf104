import { locateTool, type LocatedTool } from './locate.ts';
import { provisionTool, type ProvisionedTool, type ProvisionOptions } from './provision.ts';
import { k6Tool } from './tools.ts';

/** k6 if it is already on this machine (K6_BIN, the cache, PATH); never builds. */
export function findK6(env: NodeJS.ProcessEnv = process.env): LocatedTool | undefined {
  return locateTool(k6Tool, env);
}

/** k6, built with Go into the cache when missing (several minutes, once per machine). */
export function provisionK6(options: ProvisionOptions = {}): Promise<ProvisionedTool> {
  return provisionTool(k6Tool, options);
}
