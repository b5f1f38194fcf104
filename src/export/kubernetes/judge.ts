/**
 * The judge of an exported run: `bin/stampede run --workers 0` beside Toxiproxy, starting no worker of its own,
 * listening for the Job's pods on its collector and judging their records with the one oracle. Its world and
 * schedule flags are the pods' own, so the judge accepts them; the gates are its alone.
 */
import type { ExportPlan } from './plan.ts';
import { shellWord } from './shell.ts';

/** The judge's arguments after `bin/stampede`; no secret among them. */
export function judgeArgs(plan: ExportPlan): string[] {
  return [
    'run',
    plan.scenario,
    '--workers', '0',
    '--collector-listen', plan.collectorListen,
    '--expect-workers', String(plan.parallelism),
    // The pods storm the judge's client proxy at a fixed address (their --target), so it listens where they look.
    '--proxy-listen', proxyListen(plan),
    '--seed', String(plan.seed),
    '--cameras', String(plan.cameras),
    '--users', String(plan.users),
    '--duration', String(plan.durationS),
    // The judge's own --target is the real backend its Toxiproxy forwards to (the pods storm that Toxiproxy).
    ...(plan.judgeTarget ? ['--target', plan.judgeTarget] : plan.bug !== 'none' ? ['--bug', plan.bug] : []),
    ...plan.gates.flatMap((gate) => ['--gate', gate]),
    ...(plan.allowRemote ? ['--allow-remote'] : []),
  ];
}

/** The command to paste, token read from the file the export wrote (never the token itself). */
export function judgeCommand(plan: ExportPlan, tokenFile: string): string {
  return [`STAMPEDE_COLLECTOR_TOKEN=$(cat ${shellWord(tokenFile)})`, 'bin/stampede', ...judgeArgs(plan).map(shellWord)].join(' ');
}

/** judge.sh: the same command as a script that finds the token beside itself; run it from the project root. */
export function judgeScript(plan: ExportPlan): string {
  const lines = [
    '#!/bin/sh',
    '# The judge of the exported run, written by `bin/stampede export kubernetes`. Run it from the Stampede project',
    '# root beside Toxiproxy, reachable by the pods at the collector address in job.yaml; then apply the Job.',
    '# Flags after the script\'s name go to the run as well, e.g. judge.sh --out reports/cluster --quiet.',
    'set -eu',
    'here=$(dirname "$0")',
    'STAMPEDE_COLLECTOR_TOKEN=$(cat "$here/collector-token")',
    'export STAMPEDE_COLLECTOR_TOKEN',
  ];
  if (plan.judgeTarget) {
    lines.push(`: "\${STAMPEDE_ADMIN_TOKEN:?set STAMPEDE_ADMIN_TOKEN to the admin token of ${plan.judgeTarget}}"`);
  }
  lines.push(`exec bin/stampede ${judgeArgs(plan).map(shellWord).join(' ')} "$@"`, '');
  return lines.join('\n');
}

/** The client proxy's listen address: the collector's interface, at the port of the pods' --target. */
function proxyListen(plan: ExportPlan): string {
  const at = plan.collectorListen.lastIndexOf(':');
  const url = new URL(plan.workerTarget);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${plan.collectorListen.slice(0, at)}:${port}`;
}
