/**
 * Loads the adapter a run, a worker or conform talks through: the built-in `reference` one, or a TypeScript file
 * the user wrote, imported as it is (bin/stampede runs everything through tsx, so there is no build step). The
 * file may live anywhere on disk and still `import { defineAdapter } from 'stampede/adapter'`: a resolve hook maps
 * that specifier to this package's `define.ts`. What the file exports is checked by hand here, once: a missing
 * file, a module that does not load or a default export without the adapter's shape is one usage line naming the
 * file and what is wrong.
 */
import { existsSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import type { Adapter } from './types.ts';

/** What names an adapter or an endpoint: they end up in proxy names, flags and report lines. */
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
/** An endpoint's name also goes into its proxy's name, which Toxiproxy run names keep short. */
const ENDPOINT = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
const WORLD_HOOKS = ['health', 'seed', 'transfer', 'share', 'revoke'] as const;
export type WorldHookName = (typeof WORLD_HOOKS)[number];

/** The adapter and what names it: `reference`, or the file's absolute path (what workers are given). */
export interface LoadedAdapter {
  spec: string;
  adapter: Adapter;
}

/** `spec`: undefined or `reference` for the built-in adapter, otherwise a path to an adapter file. */
export async function loadAdapter(spec?: string): Promise<LoadedAdapter> {
  if (spec === undefined || spec === 'reference') {
    const { default: adapter } = await import('./reference/index.ts');
    return { spec: 'reference', adapter: adapter as Adapter };
  }
  const path = resolve(spec);
  if (spec.trim() === '' || !existsSync(path) || !statSync(path).isFile()) {
    throw new UsageError(`--adapter ${spec}: no such file`, 'give the path of your adapter file (e.g. ./acme.adapter.ts), or --adapter reference');
  }
  registerPublicEntry();
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new UsageError(`--adapter ${spec} could not be loaded: ${message}`, 'fix the file so it imports and type-checks (tsc --noEmit)');
  }
  const problem = shapeProblem(module.default);
  if (problem) throw new UsageError(`--adapter ${spec}: ${problem}`, 'export default defineAdapter({ name, endpoints, users, devices }) from \'stampede/adapter\'');
  return { spec: path, adapter: module.default as Adapter };
}

/** The world hooks the adapter gives, in a fixed order. */
export function worldHooksOf(adapter: Adapter): WorldHookName[] {
  return WORLD_HOOKS.filter((hook) => typeof adapter.world?.[hook] === 'function');
}

let registered = false;

/**
 * Lets an adapter file anywhere import `stampede/adapter`. Node resolves bare specifiers from the importing
 * file's folder, where no `stampede` package is installed, so a resolve hook (registered once, ahead of tsx's)
 * answers that one specifier with our `define.ts`; tsx then loads it like any other source. Registered before the
 * first adapter file is imported, so the hook applies to it and to everything it imports. Packages the adapter's
 * folder lacks resolve from Stampede's own dependencies, so an adapter needs no npm install of its own.
 */
function registerPublicEntry(): void {
  if (registered) return;
  registered = true;
  const entry = new URL('./define.ts', import.meta.url).href;
  // A .ts file in a folder with no `"type": "module"` package.json (a user's adapter in their own repository) would
  // load as CommonJS, which cannot import our ES modules; an adapter is ESM (`export default`), so it loads as such.
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === 'stampede/adapter') return { url: ${JSON.stringify(entry)}, format: 'module', shortCircuit: true };
    let resolved;
    try {
      resolved = await next(specifier, context);
    } catch (error) {
      // A package the adapter's own folder does not have (ws, mqtt, undici): Stampede's own copy, as a bare import
      // from inside this package would find it.
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || /^[./]|^[a-z]+:/i.test(specifier)) throw error;
      resolved = await next(specifier, { ...context, parentURL: ${JSON.stringify(entry)} });
    }
    if (resolved.url.startsWith('file:') && /\\.[cm]?ts$/.test(resolved.url) && resolved.format !== 'module') return { ...resolved, format: 'module' };
    return resolved;
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/** Why `value` is not an adapter, or undefined when it is one. Hand-written: it runs once, and says exactly what. */
export function shapeProblem(value: unknown): string | undefined {
  if (value === undefined) return 'has no default export';
  if (!isObject(value)) return 'its default export is not an object made with defineAdapter({...})';
  const adapter = value as Record<string, unknown>;
  if (typeof adapter.name !== 'string' || !NAME.test(adapter.name)) return 'name must be letters, digits, "-" and "_" (at most 40, a letter first)';
  const endpoints = adapter.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) return 'endpoints must list at least one endpoint name, e.g. [\'api\']';
  for (const endpoint of endpoints) {
    if (typeof endpoint !== 'string' || !ENDPOINT.test(endpoint)) return `endpoint ${JSON.stringify(endpoint)} must be letters, digits, "-" and "_" (at most 31, a letter first)`;
  }
  if (new Set(endpoints).size !== endpoints.length) return 'endpoints names one endpoint twice';
  const missing = (group: string, hooks: readonly string[], optional: readonly string[] = []): string | undefined => {
    const hooksOf = adapter[group];
    if (!isObject(hooksOf)) return `${group} must be an object of hooks`;
    for (const hook of hooks) if (typeof hooksOf[hook] !== 'function') return `${group}.${hook} must be a function`;
    for (const hook of optional) if (hooksOf[hook] !== undefined && typeof hooksOf[hook] !== 'function') return `${group}.${hook} must be a function when given`;
    return undefined;
  };
  return missing('users', ['login', 'events', 'cameras', 'thumbnail'], ['probe', 'push'])
    ?? missing('devices', ['connect'])
    ?? (adapter.world === undefined ? undefined : missing('world', [], WORLD_HOOKS));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
