/**
 * `stampede run [SCENARIO]`: storm a target (the embedded reference cloud by default) and judge every item every
 * user received. Exit 0 pass, 1 leaks or a breached gate, 2 bad usage, 3 could not run or too little checked,
 * 130 stopped by Ctrl-C (after healing faults, stopping processes and writing the partial report).
 */
import { Option, type Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { loadAdapter } from '../adapter/load.ts';
import { ADAPTER_OPTIONS_ENV, adapterOptionFlags, adapterOptionsFromEnv } from '../run/adapter-options.ts';
import { gateSpecOf } from '../oracle/gates.ts';
import { printableLine, printableText } from '../protocol/printable.ts';
import { keepSecret } from '../protocol/redact.ts';
import { resolveRunConfig, resolveRunGates, type RunConfig, type RunOptions } from '../run/config.ts';
import { heldLeftovers } from '../run/leftovers.ts';
import { progressFor, progressMode } from '../run/progress.ts';
import { runStorm } from '../run/storm.ts';
import { cloudKind, CLOUD_NAMES } from '../run/clouds.ts';
import { describeTarget } from '../run/describe-target.ts';
import { ExitCode, describeError } from '../errors.ts';
import { exitCodeOfVerdict } from '../verdict/decide.ts';
import { collect } from './collect.ts';
import type { Subcommand } from './main.ts';

export const run: Subcommand = (program: Command, done) => {
  program
    .command('run')
    .description('storm a target through Toxiproxy and judge every item every user received')
    .argument('[scenario]', `one of ${[...scenarios.keys()].join(', ')}`, 'storm')
    .option('--adapter <file>', 'the adapter the run talks to the backend through: a TypeScript file, or reference (the default)')
    .option('--target <url>', 'the backend to storm: URL (the adapter\'s first endpoint) or NAME=URL per endpoint, repeatable (default: start an embedded cloud)', collect)
    .option('--adapter-option <key=value>', 'a value for the adapter\'s hooks (ctx.options), repeatable; workers get it through the environment. ' +
      `Without it, the options come from ${ADAPTER_OPTIONS_ENV} (a JSON object of strings) when set, keeping the values out of argv`, collect)
    .option('--cloud <name>', `without --target: the embedded cloud to start (${CLOUD_NAMES.join(', ')})`)
    .addOption(new Option('--admin-token <token>', 'admin token of --target').env('STAMPEDE_ADMIN_TOKEN'))
    .option('--allow-remote', 'allow a --target that is not on this machine', false)
    .option('--toxiproxy <url>', 'use this running Toxiproxy server instead of starting one (default: $TOXIPROXY_URL, else start one)')
    .option('--out <dir>', 'where to write the run folder (default reports/<time>-<scenario>)')
    .option('--seed <n>', 'world and schedule seed (default: a fresh one, printed)')
    .option('--cameras <n>', 'simulated cameras (default: the scenario\'s)')
    .option('--users <n>', 'simulated users (default: the scenario\'s)')
    .option('--world <file>', 'users and cameras that already exist on the backend, JSON or YAML (secrets as ${ENV_NAME}); see `stampede world template`')
    .option('--duration <seconds>', 'run length; every phase scales with it')
    .option('--bug <name>', `embedded cloud only: a leak-zoo fault to switch on (${cloudKind('reference').bugs.join(', ')})`, 'none')
    .option('--gate <expr>', `a threshold besides zero leaks, repeatable, e.g. 'reconnect.p95<10s' or 'lost: <0.1%' (adds to or overrides the scenario's)`, collect)
    .option('--quiet', 'no progress display or lines (warnings, errors and the summary still print)', false)
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>/metrics while the run lasts (0: any free port)')
    .option('--workers <n>', 'worker processes driving the fleet, one slice each (default: one per core but one, at least one); 0: judge workers started elsewhere')
    .option('--collector-listen <host:port>', 'with --workers 0: where the workers send their records (token in STAMPEDE_COLLECTOR_TOKEN)')
    .option('--expect-workers <n>', 'with --workers 0: how many workers will join')
    .option('--proxy-listen <host:port>', 'where the client proxy the fleet storms through listens (default: free loopback ports); workers elsewhere need a fixed one: ' +
      'HOST:PORT, or NAME=HOST:PORT for each endpoint of an adapter with several, repeatable. ' +
      'It makes the client proxy one shard in one Toxiproxy, so keep such a fleet under about 6,000 clients', collect)
    .option('--proxy-shards <n>', 'split the client proxy into n shards, each in a Toxiproxy server of its own (all in --toxiproxy\'s when given); ' +
      'faults hit every shard at once (default: one per 1,400 cameras and users, over a Toxiproxy server per 3,000)')
    .action(async (scenario: string, raw: Omit<RunOptions, 'scenario'>, command: Command) => {
      // STAMPEDE_ADMIN_TOKEN in the environment is for --target; it must not make every embedded run bad usage.
      const ambientToken = command.getOptionValueSource('adminToken') === 'env' && raw.target === undefined;
      // TOXIPROXY_URL is an address the run talks to like --toxiproxy, so it is guarded like it.
      const toxiproxy = raw.toxiproxy ?? (process.env.TOXIPROXY_URL || undefined);
      const collectorToken = process.env.STAMPEDE_COLLECTOR_TOKEN;
      // Known before the adapter file runs, so nothing it prints while loading can show them (the environment's are kept as read).
      for (const option of raw.adapterOption ?? []) if (option.includes('=')) keepSecret(option.slice(option.indexOf('=') + 1));
      const adapterOption = raw.adapterOption ?? adapterOptionFlags(adapterOptionsFromEnv());
      // Loaded first: `--target NAME=URL` is checked against the endpoints it declares.
      const adapter = await loadAdapter(raw.adapter ?? (raw.target ? 'reference' : cloudKind(raw.cloud ?? 'reference').adapter));
      const config = resolveRunConfig(
        { ...raw, scenario, toxiproxy, adapterOption, ...(ambientToken ? { adminToken: undefined } : {}), ...(collectorToken ? { collectorToken } : {}) }, scenarios, new Date(), adapter,
      );
      keepSecret(config.target?.adminToken);
      keepSecret(config.remoteWorkers?.token);
      done(await runWithSignals(config));
    });
};

async function runWithSignals(config: RunConfig): Promise<number> {
  const abort = new AbortController();
  // Log lines go through the progress display, so a redrawn panel never overwrites or splits them.
  const { log, watchers } = progressFor(progressMode(config.quiet, process.stderr.isTTY), process.stderr);
  const onSignal = () => {
    if (abort.signal.aborted) {
      // A second Ctrl-C: the user means it. Say what stays behind; the next run sweeps it (see run/leftovers.ts).
      const left = heldLeftovers();
      if (left.length > 0) process.stderr.write(`stampede: quitting now, leaving ${left.join('; ')}: the next run sweeps them\n`);
      process.exit(ExitCode.interrupted);
    }
    log('stampede: stopping: healing faults, stopping processes, writing the partial report (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  log(`stampede: ${config.scenario.name} on ${describeTarget(config)}${config.bug !== 'none' ? ` with --bug ${config.bug}` : ''}: ` +
    `${config.cameras} cameras, ${config.users} users${config.world ? ` from ${config.world.path}` : ''}, ${config.durationMs / 1000} s, seed ${config.seed}; writing ${config.outDir}`);
  try {
    const outcome = await runStorm(config, { log, out: (text) => process.stdout.write(printableText(text)), signal: abort.signal, command: reproduce(config), watchers });
    // A step that failed for a reason of its own, not because Ctrl-C cut it short, is still worth its line.
    const failure = outcome.failure?.error === abort.signal.reason ? undefined : outcome.failure;
    if (failure) process.stderr.write(`${printableLine(`stampede: ${failure.title}: ${describeError(failure.error)}`)}\n`);
    return exitCodeOfVerdict(outcome.summary.verdict, { stopped: outcome.interrupted, failure: outcome.failure });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** The command that repeats this run: every choice spelled out, no token. */
function reproduce(config: RunConfig): string {
  const fleet = config.world ? [`--world ${config.world.path}`] : [`--cameras ${config.cameras}`, `--users ${config.users}`];
  const parts = ['bin/stampede run', config.scenario.name, `--seed ${config.seed}`, ...fleet, `--duration ${config.durationMs / 1000}`];
  if (config.adapter.spec !== 'reference') parts.push(`--adapter ${config.adapter.spec}`);
  if (config.target) {
    const named = config.adapter.endpoints.length > 1;
    for (const [name, url] of Object.entries(config.target.endpoints)) parts.push(`--target ${named ? `${name}=` : ''}${url}`);
    if (config.target.adminToken) parts.push('--admin-token <token>');
  } else {
    if (config.cloud !== 'reference') parts.push(`--cloud ${config.cloud}`);
    if (config.bug !== 'none') parts.push(`--bug ${config.bug}`);
  }
  for (const key of Object.keys(config.adapterOptions)) parts.push(`--adapter-option ${key}=<value>`);
  // Only gates that differ from the scenario's need repeating.
  const scenarioGates = gateSpecOf(resolveRunGates(config.scenario.gates ?? {}, []));
  for (const [name, expression] of Object.entries(gateSpecOf(config.gates))) {
    if (scenarioGates[name] !== expression) parts.push(`--gate '${name}${expression.replace(/ /g, '')}'`);
  }
  if (config.allowRemote) parts.push('--allow-remote');
  return parts.join(' ');
}

