/**
 * The k6 engine: the world's cameras and users as k6 VUs (scenarios/k6/storm.ts), in one or several k6 processes
 * splitting the fleet by execution segment, while this process keeps the nemesis, the access changes and the one
 * oracle. The VUs' observations come back through the collector into the run's recorder. A run in which any
 * instance lost records on the way, or ended abnormally, is an error: a missing record could be a hidden leak.
 *
 * With a remote fleet (`--k6-instances 0 --k6-export DIR`) no k6 starts here: this process is the central judge of
 * an exported run whose pods run elsewhere. They ask its collector for the run's clock, send their records to it,
 * and post their tallies at their end; the one oracle judges the union, so a leak seen by two pods counts once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../../simulators/protocol/target.ts';
import { UnavailableError } from '../../cli/exit.ts';
import type { EngineInstance } from '../../report/summary.ts';
import { findK6 } from '../../services/k6.ts';
import type { Engine, FleetPlan, RemoteFleet, RunningFleet } from '../engine.ts';
import { startCollector } from './k6/collector.ts';
import { judgeDelivery, type InstanceOutcome } from './k6/delivery.ts';
import { readExportedRun } from './k6/exported.ts';
import { FleetGauge } from './k6/gauge.ts';
import { endInstances, startInstances, THRESHOLDS_FAILED, type K6Instance } from './k6/instances.ts';
import { k6Plan, writePlan } from './k6/plan-file.ts';
import { Reorder } from './k6/reorder.ts';
import { segments } from './k6/segments.ts';

/** How long after the run's end the VUs get to close their sockets and flush before they are stopped. */
const WIND_DOWN_MS = 15_000;
/** How often a remote fleet's judge looks whether every pod has posted its tally. */
const TALLY_POLL_MS = 250;

export const k6Engine: Engine = {
  name: 'k6',
  start: (plan, signal) => (plan.remoteFleet ? judgeRemoteFleet(plan, plan.remoteFleet, signal) : runLocalFleet(plan, signal)),
};

/**
 * The collector and the recorders in front of the run's: time order first, then the live gauge. The orchestrator's
 * own records go into the same time order (RunningFleet.recorder), so nothing it does overtakes what the VUs saw.
 */
async function openCollector(plan: FleetPlan, options: { host?: string; port?: number; token?: string }) {
  const ordered = new Reorder(plan.recorder);
  const gauge = new FleetGauge(ordered);
  const collector = await startCollector({ recorder: gauge, startedAt: plan.startedAt, ...options });
  const close = async (): Promise<void> => {
    await collector.close();
    ordered.flush();
  };
  const diagnose = (): void => {
    if (collector.refused() > 0) plan.log(`k6: the collector refused ${collector.refused()} batches`);
    if (collector.repeats() > 0) plan.log(`k6: ${collector.repeats()} batches came again under a number already taken and were dropped as retries`);
    if (ordered.lateRecords() > 0) plan.log(`k6: ${ordered.lateRecords()} records arrived too late to be put in time order`);
  };
  /** The running fleet both kinds of k6 fleet hand the run: the gauge's counts, the time order, their own stop. */
  const fleet = (stop: () => Promise<void>, instances: () => EngineInstance[]): RunningFleet => ({
    camerasConnected: () => gauge.camerasConnected(), usersLoggedIn: () => gauge.usersLoggedIn(), instances, recorder: ordered, stop,
  });
  return { collector, close, diagnose, fleet };
}

async function runLocalFleet(plan: FleetPlan, signal: AbortSignal): Promise<RunningFleet> {
  const instances = plan.instances ?? 1;
  const k6 = findK6();
  if (!k6) throw new UnavailableError('k6 is not installed', 'run `bin/stampede setup` (builds k6 into the cache) or set K6_BIN');
  const target = resolveTarget(plan.target, plan.allowRemote);
  const dir = await mkdtemp(join(tmpdir(), 'stampede-k6-'));
  const { collector, close, diagnose, fleet } = await openCollector(plan, {});
  const cleanup = async (): Promise<void> => {
    await close();
    await rm(dir, { recursive: true, force: true });
  };
  let running: K6Instance[];
  try {
    const planPath = join(dir, 'plan.json');
    await writePlan(planPath, k6Plan({
      world: plan.world, target, traffic: plan.traffic, rampMs: plan.rampMs,
      drainMs: plan.drainAt - plan.startedAt, durationMs: plan.endsAt - plan.startedAt, judged: true,
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
  let shares: EngineInstance[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const deadline = signal.aborted ? Date.now() : Math.max(Date.now(), plan.endsAt) + WIND_DOWN_MS;
      const ends = await endInstances(running, deadline);
      await cleanup();
      diagnose();
      const extra: string[] = [];
      const outcomes: InstanceOutcome[] = ends.map(({ index, segment, tally, exit, output }) => {
        const code = exit.code ?? exit.signal;
        if (!signal.aborted && exit.code !== 0 && exit.code !== THRESHOLDS_FAILED) extra.push(`k6 instance ${index + 1} exited with ${code}: ${lastLine(output)}`);
        return { index, segment, tally, trouble: tally ? `exit ${code}` : `exit ${code}: ${lastLine(output)}` };
      });
      const delivery = judgeDelivery(outcomes, collector, plan.log, signal.aborted);
      shares = delivery.instances;
      failIfIncomplete([...delivery.problems, ...extra]);
    })();
    return stopping;
  };
  return fleet(stop, () => shares);
}

/** The central judge of pods started elsewhere: a collector where the export said, waiting for their records. */
async function judgeRemoteFleet(plan: FleetPlan, remote: RemoteFleet, signal: AbortSignal): Promise<RunningFleet> {
  const exported = await readExportedRun(remote.exportDir, plan.world, plan.endsAt - plan.startedAt);
  const { collector, close, diagnose, fleet } = await openCollector(plan, { host: remote.host, port: remote.port, token: exported.token });
  // The token is the export's and never printed; the target is where this run's nemesis can reach the pods' traffic.
  plan.log(`k6: judging the ${exported.parallelism} pods of ${remote.exportDir}: their collector listens on ${collector.url}; ` +
    `the run's clock started now, so start them within the ramp; with STAMPEDE_TARGET=${plan.target} their traffic goes through this run's faults`);
  let shares: EngineInstance[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const deadline = signal.aborted ? Date.now() : Math.max(Date.now(), plan.endsAt) + WIND_DOWN_MS;
      // Pods post their tallies after their VUs are done: once every one has, nothing more is coming.
      while (Date.now() < deadline && collector.tallies().size < exported.parallelism) {
        await new Promise((resolve) => setTimeout(resolve, TALLY_POLL_MS));
      }
      await close();
      diagnose();
      const outcomes: InstanceOutcome[] = segments(exported.parallelism).map(({ segment }, index) => {
        const told = collector.tallies().get(index);
        return { index, segment: told?.segment ?? segment, tally: told, trouble: told ? '' : 'its pod did not finish, or could not reach the collector' };
      });
      const delivery = judgeDelivery(outcomes, collector, plan.log, signal.aborted);
      shares = delivery.instances;
      failIfIncomplete(delivery.problems);
    })();
    return stopping;
  };
  return fleet(stop, () => shares);
}

function failIfIncomplete(problems: string[]): void {
  if (problems.length === 0) return;
  throw new UnavailableError(`the k6 fleet's observations are incomplete: ${problems.join('; ')}`, 'a lost record could hide a leak, so this run cannot be judged');
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}

