/** The engines `stampede run --engine` knows. */
import type { Engine, EngineName } from '../engine.ts';
import { k6Engine } from './k6.ts';
import { nodeEngine } from './node.ts';

export const engines: Partial<Record<EngineName, Engine>> = { node: nodeEngine, k6: k6Engine };
