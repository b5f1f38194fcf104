/**
 * The judge of an exported run: `bin/stampede run --workers 0` beside Toxiproxy, starting no worker of its own,
 * listening for the Job's pods on its collector and judging their records with the one oracle. Its world and
 * schedule flags are the pods' own, so the judge accepts them; the gates are its alone. It loads the same copies
 * of the adapter and world files as the pods (paths relative to the project root it runs from), its adapter
 * options come from the export's options file through STAMPEDE_ADAPTER_OPTIONS, and the world file's secrets from
 * its own environment: no secret in its argv.
 */
import { ADAPTER_OPTIONS_ENV } from '../../run/adapter-options.ts';
import { targetFlags, upstreamOf } from '../../run/endpoints.ts';
import { fleetFlags } from './job.ts';
import type { ExportPlan } from './plan.ts';
import { shellWord } from './shell.ts';

/** The export's file of `--adapter-option` values (a JSON object), beside the collector token; judge.sh reads it. */
export const ADAPTER_OPTIONS_FILE = 'adapter-options.json';

/** The judge's arguments after `bin/stampede`; no secret among them. */
export function judgeArgs(plan: ExportPlan): string[] {
  return [
    'run',
    plan.scenario,
    '--workers', '0',
    '--collector-listen', plan.collectorListen,
    '--expect-workers', String(plan.parallelism),
    // The pods storm the judge's proxy of each endpoint at a fixed address (their --target), so each listens where they look.
    ...proxyListen(plan),
    ...(plan.files?.adapterPath ? ['--adapter', plan.files.adapterPath] : []),
    '--seed', String(plan.seed),
    ...fleetFlags(plan),
    '--duration', String(plan.durationS),
    // The judge's own --target is the real backend its Toxiproxy forwards to (the pods storm that Toxiproxy).
    ...(plan.judgeTargets ? targetFlags(plan.adapter, plan.judgeTargets) : embeddedCloud(plan)),
    ...plan.gates.flatMap((gate) => ['--gate', gate]),
    ...(plan.allowRemote ? ['--allow-remote'] : []),
  ];
}

/** The command to paste, token and options read from the files the export wrote (never the values themselves). */
export function judgeCommand(plan: ExportPlan, tokenFile: string, optionsFile: string): string {
  const options = Object.keys(plan.adapterOptions).length > 0 ? [`${ADAPTER_OPTIONS_ENV}=$(cat ${shellWord(optionsFile)})`] : [];
  return [`STAMPEDE_COLLECTOR_TOKEN=$(cat ${shellWord(tokenFile)})`, ...options, 'bin/stampede', ...judgeArgs(plan).map(shellWord)].join(' ');
}

/** judge.sh: the same command as a script that finds the token and options beside itself; run it from the project root. */
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
  if (Object.keys(plan.adapterOptions).length > 0) {
    lines.push(`${ADAPTER_OPTIONS_ENV}=$(cat "$here/${ADAPTER_OPTIONS_FILE}")`, `export ${ADAPTER_OPTIONS_ENV}`);
  }
  if (plan.judgeTargets && plan.adapter.spec === 'reference') {
    lines.push(`: "\${STAMPEDE_ADMIN_TOKEN:?set STAMPEDE_ADMIN_TOKEN to the admin token of ${Object.values(plan.judgeTargets)[0]}}"`);
  }
  for (const name of Object.keys(plan.worldSecrets)) {
    lines.push(`: "\${${name}:?set ${name}: the world file ${plan.files!.worldPath} reads a secret from it}"`);
  }
  lines.push(`exec bin/stampede ${judgeArgs(plan).map(shellWord).join(' ')} "$@"`, '');
  return lines.join('\n');
}

/** `--cloud` and `--bug` for the judge's embedded cloud, each only when not the default. */
function embeddedCloud(plan: ExportPlan): string[] {
  return [...(plan.cloud !== 'reference' ? ['--cloud', plan.cloud] : []), ...(plan.bug !== 'none' ? ['--bug', plan.bug] : [])];
}

/**
 * Each endpoint's proxy listen address: the collector's interface, at the port of the pods' --target for it; named
 * as the run reads it back (the built-in adapter's one endpoint unnamed, as before adapters).
 */
function proxyListen(plan: ExportPlan): string[] {
  const host = plan.collectorListen.slice(0, plan.collectorListen.lastIndexOf(':'));
  const named = plan.adapter.endpoints.length > 1 || plan.adapter.spec !== 'reference';
  return plan.adapter.endpoints.flatMap((name) => {
    const port = upstreamOf(plan.workerTargets[name]!).split(':').pop()!;
    return ['--proxy-listen', `${named ? `${name}=` : ''}${host}:${port}`];
  });
}
