/**
 * The k6 engine: the world's cameras and users as k6 VUs (scenarios/k6/storm.ts), in one or several k6 processes
 * splitting the fleet by execution segment, while this process keeps the nemesis, the access changes and the one
 * oracle. The VUs' observations come back through the collector into the run's recorder. A run in which any
 * instance lost records on the way, or ended abnormally, is an error: a missing record could be a hidden leak.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../../simulators/protocol/target.ts';
import { UnavailableError } from '../../cli/exit.ts';
import { findK6 } from '../../services/k6.ts';
import type { Engine, FleetPlan, RunningFleet } from '../engine.ts';
import { startCollector, type Collector } from './k6/collector.ts';
import { FleetGauge } from './k6/gauge.ts';
import { Reorder } from './k6/reorder.ts';
import { endInstances, startInstances, THRESHOLDS_FAILED, type InstanceEnd, type K6Instance } from './k6/instances.ts';
import { k6Plan, writePlan } from './k6/plan-file.ts';

/** How long after the run's end the VUs get to close their sockets and flush before they are stopped. */
const WIND_DOWN_MS = 15_000;

export const k6Engine: Engine = {
  name: 'k6',
  async start(plan: FleetPlan, signal: AbortSignal): Promise<RunningFleet> {
    const instances = plan.instances ?? 1;
    const k6 = findK6();
    if (!k6) throw new UnavailableError('k6 is not installed', 'run `bin/stampede setup` (builds k6 into the cache) or set K6_BIN');
    const { httpBase } = resolveTarget(plan.target, plan.allowRemote);
    const dir = await mkdtemp(join(tmpdir(), 'stampede-k6-'));
    const ordered = new Reorder(plan.recorder);
    const gauge = new FleetGauge(ordered);
    const collector = await startCollector({ recorder: gauge });
    const cleanup = async (): Promise<void> => {
      await collector.close();
      ordered.flush();
      await rm(dir, { recursive: true, force: true });
    };
    let running: K6Instance[];
    try {
      const planPath = join(dir, 'plan.json');
      await writePlan(planPath, k6Plan({
        world: plan.world, target: httpBase, traffic: plan.traffic, rampMs: plan.rampMs,
        drainMs: plan.drainAt - plan.startedAt, durationMs: plan.endsAt - plan.startedAt,
      }));
      running = await startInstances({
        k6: k6.path, instances, dir, planPath,
        env: {
          STAMPEDE_COLLECTOR: collector.url,
          STAMPEDE_COLLECTOR_TOKEN: collector.token,
          STAMPEDE_RUN_KEY: randomBytes(16).toString('hex'),
          STAMPEDE_STARTED_AT: String(plan.startedAt),
          STAMPEDE_ALLOW_REMOTE: plan.allowRemote ? '1' : '0',
        },
      });
    } catch (error) {
      await cleanup();
      throw error;
    }
    plan.log(`k6: ${instances} instance${instances === 1 ? '' : 's'} (${running.map((i) => i.segment).join(', ')}) driving ` +
      `${plan.world.cameras.length} cameras and ${plan.world.users.length} users`);
    for (const instance of running) {
      void instance.child.exited.then((exit) => {
        if (Date.now() < plan.endsAt && !signal.aborted) plan.log(`k6: ${instance.child.name} ended early (${exit.code ?? exit.signal})`);
      });
    }
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        const deadline = signal.aborted ? Date.now() : Math.max(Date.now(), plan.endsAt) + WIND_DOWN_MS;
        const ends = await endInstances(running, deadline);
        await cleanup();
        if (collector.refused() > 0) plan.log(`k6: the collector refused ${collector.refused()} batches`);
        if (ordered.lateRecords() > 0) plan.log(`k6: ${ordered.lateRecords()} records arrived too late to be put in time order`);
        judgeDelivery(ends, collector, plan.log, signal.aborted);
      })();
      return stopping;
    };
    return { camerasConnected: () => gauge.camerasConnected(), usersLoggedIn: () => gauge.usersLoggedIn(), stop };
  },
};

/** Logs each instance's share and throws when records went missing or an instance failed for another reason. */
function judgeDelivery(ends: InstanceEnd[], collector: Collector, log: (line: string) => void, aborted: boolean): void {
  const problems: string[] = [];
  const owner = new Map<string, number>();
  for (const end of ends) {
    const name = `k6 instance ${end.index + 1}/${ends.length} (${end.segment})`;
    const got = collector.received().get(end.index) ?? 0;
    const share = collector.shares().get(end.index) ?? { cameras: new Set<string>(), users: new Set<string>() };
    const { tally, exit } = end;
    log(`k6: ${name}: ${share.cameras.size} cameras, ${share.users.size} users; ` +
      `${tally ? `${tally.records} records made (${tally.batchesFailed} batches given up), ` : ''}${got} received, ` +
      `${tally?.plainLeaks ?? '?'} plain leaks counted in the VUs, exit ${exit.code ?? exit.signal}`);
    // Execution segments promise disjoint slices; a client simulated twice would fight itself (4409) and skew counts.
    for (const id of [...share.cameras, ...share.users]) {
      const other = owner.get(id);
      if (other !== undefined && other !== end.index) problems.push(`${id} was simulated by instances ${other + 1} and ${end.index + 1}`);
      owner.set(id, end.index);
    }
    if (aborted) continue;
    if (!tally) problems.push(`${name} wrote no summary (exit ${exit.code ?? exit.signal}): ${lastLine(end.output)}`);
    else if (tally.records !== got) problems.push(`${name} made ${tally.records} records but the collector received ${got}`);
    if (exit.code !== 0 && exit.code !== THRESHOLDS_FAILED) problems.push(`${name} exited with ${exit.code ?? exit.signal}: ${lastLine(end.output)}`);
  }
  if (problems.length > 0) {
    throw new UnavailableError(`the k6 fleet's observations are incomplete: ${problems.join('; ')}`, 'a lost record could hide a leak, so this run cannot be judged');
  }
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}
