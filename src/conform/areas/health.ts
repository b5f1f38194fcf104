/** `GET /v1/health`: reachable without auth, and the capabilities that decide which checks are skipped. */
import { CAPABILITIES, Health } from '../../protocol/schema.ts';
import { expectStatus, parseAnswer } from '../answers.ts';
import type { Area, Capability } from '../expectation.ts';
import type { Target } from '../target.ts';

export const health: Area<Target> = {
  name: 'health',
  setup: async (target) => target,
  steps: [
    {
      name: 'GET /v1/health answers 200 {"status":"ok","capabilities":[...]} without auth',
      async run(target) {
        const answer = await target.http.call('GET', '/v1/health');
        expectStatus(answer, 200);
        const { capabilities } = parseAnswer(answer, Health, '{"status":"ok","capabilities":[...]}');
        // Unknown capability names are tolerated: a newer target may declare more than we know of.
        target.capabilities = new Set(
          capabilities.filter((name): name is Capability => (CAPABILITIES as readonly string[]).includes(name)),
        );
      },
    },
  ],
};
