/**
 * A private Mosquitto broker: `/usr/sbin/mosquitto` on a free loopback port with its own config, password file and
 * ACL file in a private temporary folder (mode 0700, files 0600), removed at stop. Secrets never reach argv: the
 * broker is given one config path, and the accounts are written as PBKDF2-SHA512 hashes in Mosquitto's own `$7$`
 * format (what `mosquitto_passwd` writes), so no password is ever stored or passed in clear.
 *
 * The accounts change while the broker runs (a world seed brings new cameras and users): `setAccounts` rewrites
 * the password file and sends SIGHUP, Mosquitto's reload signal, then waits until a fresh probe account logs in,
 * which proves the new file is in force before anyone relies on it.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chownSync, readFileSync, rmSync } from 'node:fs';
import { chmod, chown, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'mqtt';
import { UnavailableError } from '../errors.ts';
import { keepSecret } from '../protocol/redact.ts';
import { startChild, type ChildExit } from './child.ts';
import { isExecutableFile } from './locate.ts';
import { ownerMark } from './owner.ts';
import { freePort } from './ports.ts';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

/** One broker login. */
export interface BrokerAccount {
  readonly username: string;
  readonly password: string;
}

export interface MosquittoOptions {
  /**
   * The ACL file's rules for everyone but the privileged account (`pattern` lines, usually with `%u`). The
   * privileged account's own block comes first, written by this module.
   */
  readonly acl: string;
  /** Topics (filters) the privileged account may read and write. */
  readonly privilegedTopics: readonly string[];
  /** Largest MQTT packet the broker takes, in bytes. */
  readonly maxPacketBytes: number;
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly bin?: string;
  readonly readyTimeoutMs?: number;
}

export interface MosquittoBroker {
  /** e.g. mqtt://127.0.0.1:24567 */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The privileged account (the cloud's). Its password is registered as a secret. */
  readonly privileged: BrokerAccount;
  readonly exited: Promise<ChildExit>;
  /** Replaces every unprivileged account, and resolves once the broker logs them in. */
  setAccounts(accounts: readonly BrokerAccount[]): Promise<void>;
  /** The last lines the broker printed (warnings and errors only), for diagnostics and tests. */
  recentOutput(): string;
  stop(): Promise<void>;
}

/**
 * Account names Stampede's ids can never take (ids match ^[A-Za-z0-9._-]{1,64}$), so the privileged account and
 * the reload probe never collide with a camera or a user.
 */
const PRIVILEGED_USER = '~cloud';
const PROBE_USER = '~probe';
/** Mosquitto 2's own defaults for `mosquitto_passwd`: 101 rounds of PBKDF2-SHA512, a 12-byte salt. */
const HASH_ROUNDS = 101;
const RELOAD_TIMEOUT_MS = 30_000;
const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;

/** A `username:$7$...` line as `mosquitto_passwd` writes it. */
export function passwordLine(account: BrokerAccount): string {
  if (/[:\n\r]/.test(account.username)) throw new Error(`broker user name ${JSON.stringify(account.username)} holds ':' or a line break`);
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(account.password, salt, HASH_ROUNDS, 64, 'sha512');
  return `${account.username}:$7$${HASH_ROUNDS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function startMosquitto(options: MosquittoOptions): Promise<MosquittoBroker> {
  const bin = options.bin ?? MOSQUITTO_BIN;
  if (!isExecutableFile(bin)) {
    throw new UnavailableError(`the Mosquitto broker ${bin} is not installed`, 'install it (apt-get install mosquitto)');
  }
  const dir = await mkdtemp(join(tmpdir(), `stampede-mosquitto-${ownerMark()}-`));
  // A process that quits at once runs only synchronous exit handlers: the child registry kills the broker there,
  // and this removes its folder with the password hashes.
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const owner = brokerOwner();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const privileged = { username: PRIVILEGED_USER, password: randomBytes(24).toString('base64url') };
  keepSecret(privileged.password);
  const files = { config: join(dir, 'mosquitto.conf'), passwords: join(dir, 'passwords'), acl: join(dir, 'acl') };
  const write = (path: string, text: string) => writePrivate(path, text, owner);
  let probe = newProbe();
  try {
    await write(files.passwords, passwordFile([privileged, probe]));
    await write(files.acl, aclFile(options));
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const port = options.port || (await freePort({ host: HOST }));
      const url = `mqtt://${HOST}:${port}`;
      await write(files.config, configFile(port, files, options.maxPacketBytes, owner?.name));
      try {
        const child = await startChild({
          name: 'the Mosquitto broker',
          command: bin,
          args: ['-c', files.config],
          ready: () => logsIn(url, privileged, 1_000),
          readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
        });
        let reloading = Promise.resolve();
        const setAccounts = async (accounts: readonly BrokerAccount[]): Promise<void> => {
          // One reload at a time, so the probe checked is the one of the file just written.
          const next = reloading.then(async () => {
            probe = newProbe();
            await write(files.passwords, passwordFile([privileged, probe, ...accounts]));
            process.kill(child.pid, 'SIGHUP');
            await waitUntil(() => logsIn(url, probe, 1_000), RELOAD_TIMEOUT_MS, 'the Mosquitto broker did not reload its accounts');
          });
          reloading = next.catch(() => undefined);
          return next;
        };
        const stop = async (): Promise<void> => {
          await child.stop();
          await rm(dir, { recursive: true, force: true });
          process.off('exit', removeOnExit);
        };
        return { url, port, pid: child.pid, privileged, exited: child.exited, setAccounts, recentOutput: () => child.recentOutput(), stop };
      } catch (error) {
        lastError = error;
        if (options.port) break; // a port the caller chose is not ours to change
      }
    }
    throw lastError;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    process.off('exit', removeOnExit);
    throw error;
  }
}

function newProbe(): BrokerAccount {
  return { username: PROBE_USER, password: randomBytes(18).toString('base64url') };
}

function passwordFile(accounts: readonly BrokerAccount[]): string {
  return `${accounts.map(passwordLine).join('\n')}\n`;
}

function aclFile(options: MosquittoOptions): string {
  const privileged = options.privilegedTopics.map((topic) => `topic readwrite ${topic}`).join('\n');
  return `# the cloud's own account\nuser ${PRIVILEGED_USER}\n${privileged}\n\n# every other account\n${options.acl.trim()}\n`;
}

function configFile(port: number, files: { passwords: string; acl: string }, maxPacketBytes: number, user: string | undefined): string {
  return [
    'per_listener_settings false',
    `listener ${port} ${HOST}`,
    'allow_anonymous false',
    `password_file ${files.passwords}`,
    `acl_file ${files.acl}`,
    'persistence false',
    `max_packet_size ${maxPacketBytes}`,
    // A cloud behind on a storm of events must get them late, not lose them: the default keeps 1000 per client.
    'max_queued_messages 100000',
    'set_tcp_nodelay true',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    // Started as root, Mosquitto drops to this user; the folder and files are handed to it.
    ...(user === undefined ? [] : [`user ${user}`]),
    '',
  ].join('\n');
}

/** Writes `text` to `path` atomically with mode 0600, owned by the broker's user when it is not us. */
async function writePrivate(path: string, text: string, owner: BrokerOwner | undefined): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, text, { mode: 0o600 });
  await chmod(temporary, 0o600);
  if (owner) await chown(temporary, owner.uid, owner.gid);
  await rename(temporary, path);
}

interface BrokerOwner {
  name: string;
  uid: number;
  gid: number;
}

/** Run as root, Mosquitto switches to the `mosquitto` user (or `nobody`); elsewhere it stays us. */
function brokerOwner(): BrokerOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const name of ['mosquitto', 'nobody']) {
    const row = passwd.split('\n').find((line) => line.startsWith(`${name}:`))?.split(':');
    if (row && row.length >= 4) return { name, uid: Number(row[2]), gid: Number(row[3]) };
  }
  return undefined;
}

/** True when `account` is accepted by the broker at `url` within `timeoutMs`. */
export function logsIn(url: string, account: BrokerAccount, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const client = connect(url, {
      username: account.username,
      password: account.password,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clean: true,
    });
    const done = (ok: boolean) => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true);
      resolve(ok);
    };
    client.once('connect', () => done(true));
    client.once('error', () => done(false));
    client.once('close', () => done(false));
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new UnavailableError(failure, `no login within ${timeoutMs} ms`);
}
