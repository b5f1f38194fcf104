import { connect } from 'node:net';
import { findGo, outputOf, type GoToolchain } from './go-toolchain.ts';
import { findOnPath, isExecutableFile, locateTool } from './locate.ts';
import { provisionedVersion } from './provision.ts';
import { DEFAULT_REDIS_URL, probeRedis } from './redis-probe.ts';
import { answersVersion } from './toxiproxy-server.ts';
import { goInstallLine, toxiproxyTool, type ToolSpec } from './tools.ts';

/** One line of `stampede doctor`: a tool or service, whether it is usable, and what to do if not. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** When a required check fails Stampede cannot run; optional ones only limit what it can do. */
  readonly required: boolean;
  /** Where it is and which version, or what went wrong. */
  readonly detail: string;
  /** What to do about a failed check. */
  readonly fix?: string;
}

const MIN_NODE_MAJOR = 20;
const MOSQUITTO = { host: '127.0.0.1', port: 1883, binary: '/usr/sbin/mosquitto' };

/** Looks at every tool and service Stampede uses; never throws, never starts or builds anything. */
export async function takeInventory(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const go = await findGo(env);
  const [toxiproxy, redis, mosquitto] = await Promise.all([toxiproxyCheck(env, go), redisChecks(env), mosquittoChecks(env)]);
  return [nodeCheck(), goCheck(go), toxiproxy, ...redis, ...mosquitto];
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  const ok = major >= MIN_NODE_MAJOR;
  return { name: 'node', ok, required: true, detail: `v${process.versions.node} (${process.execPath})`, fix: ok ? undefined : `install Node.js ${MIN_NODE_MAJOR} or newer` };
}

function goCheck(go: GoToolchain | undefined): Check {
  if (go !== undefined) return { name: 'go', ok: true, required: false, detail: `${go.version} (${go.path})` };
  return { name: 'go', ok: false, required: false, detail: 'not found', fix: 'install Go (https://go.dev/dl) so `bin/stampede setup` can build toxiproxy-server' };
}

async function toxiproxyCheck(env: NodeJS.ProcessEnv, go: GoToolchain | undefined): Promise<Check> {
  const url = env.TOXIPROXY_URL;
  if (url !== undefined && url.length > 0) {
    const ok = await answersVersion(url.replace(/\/+$/, ''), 2_000);
    return { name: 'toxiproxy-server', ok, required: true, detail: `TOXIPROXY_URL=${url} ${ok ? 'answers' : 'does not answer'}`, fix: ok ? undefined : 'start toxiproxy-server there or unset TOXIPROXY_URL' };
  }
  return toolCheck(toxiproxyTool, env, go, true);
}

async function toolCheck(tool: ToolSpec, env: NodeJS.ProcessEnv, go: GoToolchain | undefined, required: boolean): Promise<Check> {
  let found;
  try {
    found = locateTool(tool, env);
  } catch (error) {
    return { name: tool.name, ok: false, required, detail: (error as Error).message, fix: `point ${tool.envVar} at ${tool.name} or unset it` };
  }
  if (found === undefined) {
    const fix = go === undefined ? `install Go then run \`bin/stampede setup\`, or \`${goInstallLine(tool)}\`, or ${tool.otherWays}` : 'run `bin/stampede setup`';
    return { name: tool.name, ok: false, required, detail: `not found (pinned ${tool.version})`, fix };
  }
  const version = (await provisionedVersion(tool, found.path, env)) ?? 'version unknown';
  return { name: tool.name, ok: true, required, detail: `${version} (${found.path}, from ${found.source}; pinned ${tool.version})` };
}

async function redisChecks(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL;
  const server = findOnPath('redis-server', env);
  const probe = await probeRedis(url);
  const serverVersion = server === undefined ? undefined : (await outputOf(server, ['--version']))?.match(/v=(\S+)/)?.[1];
  const binary: Check = server === undefined
    ? { name: 'redis-server', ok: false, required: false, detail: 'not found', fix: 'install redis-server (apt-get install redis-server / brew install redis)' }
    : { name: 'redis-server', ok: true, required: false, detail: `${serverVersion ?? 'version unknown'} (${server})` };
  // Either a Redis that answers or a binary to start a private one is enough to run.
  const service: Check = probe.reachable
    ? { name: 'redis', ok: true, required: true, detail: `${url} answers (Redis ${probe.version ?? 'version unknown'})` }
    : { name: 'redis', ok: server !== undefined, required: true, detail: `${url} does not answer (${probe.error})${server === undefined ? '' : '; a private redis-server will be started'}`, fix: server === undefined ? 'start Redis, set REDIS_URL, or install redis-server' : undefined };
  return [service, binary];
}

async function mosquittoChecks(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const reachable = await tcpAnswers(MOSQUITTO.host, MOSQUITTO.port, 1_500);
  const binary = isExecutableFile(MOSQUITTO.binary) ? MOSQUITTO.binary : findOnPath('mosquitto', env);
  return [
    { name: 'mosquitto', ok: reachable, required: false, detail: `${MOSQUITTO.host}:${MOSQUITTO.port} ${reachable ? 'accepts connections' : 'refuses connections'}`, fix: reachable ? undefined : 'start it with `mosquitto -d` (needed only by the MQTT adapter)' },
    binary === undefined
      ? { name: 'mosquitto binary', ok: false, required: false, detail: 'not found', fix: 'apt-get install mosquitto / brew install mosquitto' }
      : { name: 'mosquitto binary', ok: true, required: false, detail: binary },
  ];
}

function tcpAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
