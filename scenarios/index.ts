/** Every scenario `stampede run` knows, by name; `storm` is the default. */
import type { Scenario } from '../src/scenario/scenario.ts';
import { cacheBrownout } from './cache-brownout.ts';
import { flapping } from './flapping.ts';
import { refreshStorm } from './refresh-storm.ts';
import { soak } from './soak.ts';
import { storm } from './storm.ts';

export const scenarios: ReadonlyMap<string, Scenario> = new Map([storm, cacheBrownout, flapping, soak, refreshStorm].map((s) => [s.name, s]));
