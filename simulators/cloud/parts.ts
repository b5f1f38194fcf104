/** Builds the cloud's parts: the correct ones, with the chosen bug's replacements swapped in. */
import { CachedViews } from './cache/views.ts';
import { noCache, redisCache } from './cache/redis.ts';
import { asyncUserContext, audiencePushHub, cachedCameraLookup, noResponseCache, versionBumpInvalidation } from './defaults.ts';
import type { CachedPartEnv, CloudBug, CloudParts, PartEnv } from './seams.ts';

export interface BuiltParts {
  parts: CloudParts;
  views: CachedViews;
}

export function buildParts(partEnv: Omit<PartEnv, 'cacheTimeoutMs'>, bug: CloudBug, cacheTimeoutMs: number): BuiltParts {
  const env: PartEnv = { ...partEnv, cacheTimeoutMs };
  const correctCache = env.redisUrl === undefined ? noCache() : redisCache({ url: env.redisUrl, commandTimeoutMs: cacheTimeoutMs, log: env.log });
  const cache = bug.cache ? bug.cache(env, correctCache) : correctCache;
  const views = new CachedViews(env.store, cache, env.keyPrefix);
  const cachedEnv: CachedPartEnv = { ...env, cache };
  const cameraLookup = cachedCameraLookup(views);
  const responses = noResponseCache();
  const userContext = asyncUserContext();
  const pushHub = audiencePushHub(env.store);
  const invalidation = versionBumpInvalidation(env.store);
  return {
    views,
    parts: {
      cache,
      cameraLookup: bug.cameraLookup ? bug.cameraLookup(cachedEnv, cameraLookup) : cameraLookup,
      responses: bug.responses ? bug.responses(cachedEnv, responses) : responses,
      userContext: bug.userContext ? bug.userContext(cachedEnv, userContext) : userContext,
      pushHub: bug.pushHub ? bug.pushHub(cachedEnv, pushHub) : pushHub,
      invalidation: bug.invalidation ? bug.invalidation(cachedEnv, invalidation) : invalidation,
    },
  };
}
