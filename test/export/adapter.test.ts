/**
 * An export for a backend of the user's: the adapter file (with what it imports from its folder) and the world file
 * go into the image at the paths the pods and the judge name them by; every endpoint gets its --target and its
 * proxy address; adapter option values and the world file's ${NAME} secrets are in the Secret only.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { scenarios } from '../../scenarios/index.ts';
import type { Adapter } from '../../src/adapter/types.ts';
import { adapterClosure } from '../../src/export/kubernetes/image-files.ts';
import { judgeArgs } from '../../src/export/kubernetes/judge.ts';
import { resolveExportPlan, type ExportOptions } from '../../src/export/kubernetes/plan.ts';
import { validateManifest } from '../../src/export/kubernetes/validate.ts';
import { writeKubernetesExport } from '../../src/export/kubernetes/write.ts';
import { worldTemplate } from '../../src/world/template.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MQTT_ADAPTER = join(ROOT, 'examples/adapters/mqtt.adapter.ts');
/** The build context is the project root: an export with files to COPY is written inside it (reports/ is not tracked). */
const base = mkdtempSync(join(ROOT, 'reports', 'export-adapter-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const OPTION_VALUE = `opt-${Math.random().toString(36).slice(2)}-value`;
const WORLD_ENV = 'STAMPEDE_TEST_EXPORT_CAMERA_SECRET';
const WORLD_SECRET = `cam-${Math.random().toString(36).slice(2)}-secret`;
process.env[WORLD_ENV] = WORLD_SECRET;

/** A loaded adapter as the CLI hands it over: its file, and the hooks `adapterRef` looks at. */
function loaded(spec: string, endpoints: string[], seed = true) {
  const adapter = { name: 'acme', endpoints, users: {}, devices: {}, ...(seed ? { world: { seed: async () => undefined } } : {}) };
  return { spec, adapter: adapter as unknown as Adapter };
}

function worldFile(): string {
  let n = 0;
  const text = worldTemplate({ cameras: 4, users: 3 }, () => `literal-secret-${n++}`).replace(/(id: cam-2\n {4}secret: )"[^"]+"/, `$1"\${${WORLD_ENV}}"`);
  const file = join(mkdtempSync(join(tmpdir(), 'stampede-world-')), 'acme-world.yaml');
  writeFileSync(file, text);
  return file;
}

function plan(overrides: Partial<ExportOptions> = {}, adapter = loaded(MQTT_ADAPTER, ['api', 'broker'])) {
  return resolveExportPlan(
    {
      out: join(mkdtempSync(join(base, 'k8s-')), 'k8s'),
      parallelism: '2',
      seed: '4242',
      duration: '20',
      target: ['api=http://127.0.0.1:8080', 'broker=mqtt://127.0.0.1:1883'],
      collector: 'http://127.0.0.1:7070',
      cloud: 'mqtt',
      adapterOption: [`apiKey=${OPTION_VALUE}`],
      world: worldFile(),
      ...overrides,
    },
    scenarios,
    adapter,
  );
}

describe('kubernetes export with --adapter, --adapter-option and --world', () => {
  it('gives the pods the image\'s adapter and world copies, a --target per endpoint, and the secrets by reference only', async () => {
    const exported = plan();
    const result = await writeKubernetesExport(exported);
    const out = relative(ROOT, exported.outDir);
    const read = (name: string) => readFileSync(join(exported.outDir, name), 'utf8');
    const job = parse(read('job.yaml')) as IJob;
    validateManifest('job.yaml', job);
    const worker = job.spec!.template.spec!.containers[0]!;
    expect(worker.args).toEqual([
      'worker', 'storm', '--adapter', `${out}/image-files/adapter/mqtt.adapter.ts`,
      '--target', 'api=http://127.0.0.1:8080', '--target', 'broker=mqtt://127.0.0.1:1883', '--seed', '$(STAMPEDE_SEED)',
      '--world', `${out}/image-files/world/acme-world.yaml`, '--duration', '20',
    ]);
    const env = Object.fromEntries(worker.env!.map((variable) => [variable.name, variable]));
    expect(env.STAMPEDE_ADAPTER_OPTIONS!.valueFrom).toEqual({ secretKeyRef: { name: 'stampede-run', key: 'adapter-options' } });
    expect(env[WORLD_ENV]!.valueFrom).toEqual({ secretKeyRef: { name: 'stampede-run', key: `world.${WORLD_ENV}` } });
    // The world's counts size the pods: 4 cameras and 3 users over 2 pods.
    expect(exported).toMatchObject({ cameras: 4, users: 3 });

    const secret = parse(read('secret.yaml'));
    validateManifest('secret.yaml', secret);
    expect(JSON.parse(secret.stringData['adapter-options'])).toEqual({ apiKey: OPTION_VALUE });
    expect(secret.stringData[`world.${WORLD_ENV}`]).toBe(WORLD_SECRET);
    for (const name of ['job.yaml', 'judge.sh', 'Dockerfile', 'Dockerfile.dockerignore', 'image-files/world/acme-world.yaml']) {
      expect(read(name), name).not.toContain(OPTION_VALUE);
      expect(read(name), name).not.toContain(WORLD_SECRET);
    }
    expect(result.judgeCommand).not.toContain(OPTION_VALUE);
    // The judge's options: a file only its owner reads, which judge.sh puts in the environment.
    expect(JSON.parse(read('adapter-options.json'))).toEqual({ apiKey: OPTION_VALUE });
    expect(statSync(join(exported.outDir, 'adapter-options.json')).mode & 0o777).toBe(0o600);

    // The copies are the files, and the image gets them where the pods look.
    expect(read('image-files/adapter/mqtt.adapter.ts')).toBe(readFileSync(MQTT_ADAPTER, 'utf8'));
    expect(read('Dockerfile')).toContain(`COPY ["${out}/image-files","${out}/image-files"]\n`);
    // The build context leaves out the export folder (token, Secret) but for the files the image takes.
    expect(read('Dockerfile.dockerignore').trim().split('\n').slice(-2)).toEqual([out, `!${out}/image-files`]);
    expect(result.files).toEqual(expect.arrayContaining(['image-files/adapter/mqtt.adapter.ts', 'image-files/world/acme-world.yaml']));
  });

  it('has the judge load the same copies, listen for each endpoint\'s proxy at its pods\' port, and start the MQTT cloud', () => {
    const exported = plan();
    const out = relative(ROOT, exported.outDir);
    expect(judgeArgs(exported)).toEqual([
      'run', 'storm', '--workers', '0', '--collector-listen', '127.0.0.1:7070', '--expect-workers', '2',
      '--proxy-listen', 'api=127.0.0.1:8080', '--proxy-listen', 'broker=127.0.0.1:1883',
      '--adapter', `${out}/image-files/adapter/mqtt.adapter.ts`, '--seed', '4242', '--world', `${out}/image-files/world/acme-world.yaml`,
      '--duration', '20', '--cloud', 'mqtt',
    ]);
    const remote = judgeArgs(plan({ cloud: undefined, judgeTarget: ['api=http://10.0.0.5:8080', 'broker=mqtt://10.0.0.5:1883'], allowRemote: true,
      target: ['api=http://judge:8080', 'broker=mqtt://judge:1883'], collector: 'http://judge:7070' }));
    expect(remote.join(' ')).toContain('--target api=http://10.0.0.5:8080 --target broker=mqtt://10.0.0.5:1883 --allow-remote');
    expect(remote.join(' ')).toContain('--proxy-listen api=0.0.0.0:8080 --proxy-listen broker=0.0.0.0:1883');
  });

  it('refuses what the judge or the image could not use, each in one line', () => {
    expect(() => plan({ out: join(mkdtempSync(join(tmpdir(), 'stampede-k8s-')), 'k8s') })).toThrow(/--out .* is outside .*the worker image's build context/);
    expect(() => plan({ cloud: undefined, bug: 'github-2021' })).toThrow('adapter acme talks to api, broker, but --cloud reference serves target');
    expect(() => plan({ judgeTarget: ['api=http://127.0.0.1:9000', 'broker=mqtt://127.0.0.1:9001'] })).toThrow('--cloud starts a cloud of its own in the judge');
    expect(() => plan({ target: ['api=http://127.0.0.1:8080'] })).toThrow('adapter acme needs --target for broker');
    expect(() => plan({ target: ['api=http://127.0.0.1:7070', 'broker=mqtt://127.0.0.1:1883'] })).toThrow('--target api and the collector both use port 7070');
    expect(() => plan({ target: ['api=http://cluster.example:8080', 'broker=mqtt://127.0.0.1:1883'] })).toThrow('--target api cluster.example:8080 is not on this machine');
    expect(() => plan({ cloud: undefined, world: undefined, judgeTarget: ['api=http://127.0.0.1:9000', 'broker=mqtt://127.0.0.1:9001'] },
      loaded(MQTT_ADAPTER, ['api', 'broker'], false))).toThrow('adapter acme cannot seed the world');
    const reserved = worldFile();
    writeFileSync(reserved, readFileSync(reserved, 'utf8').replace(WORLD_ENV, 'STAMPEDE_SEED'));
    process.env.STAMPEDE_SEED = 'a-seed-value';
    try {
      expect(() => plan({ world: reserved })).toThrow('${STAMPEDE_SEED} is a variable Stampede sets itself');
    } finally {
      delete process.env.STAMPEDE_SEED;
    }
  });
});

describe('kubernetes export: the adapter\'s own imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-adapter-'));
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('copies the files it imports from its folder, transitively, and keeps their layout', () => {
    write('lib/paths.ts', "export const paths = { events: '/events' };\n");
    write('lib/shapes.ts', "export * from './paths.js';\nexport type Shape = { id: string };\n");
    const entry = write('acme.adapter.ts', "import { defineAdapter } from 'stampede/adapter';\nimport { paths } from './lib/shapes.ts';\nconst later = () => import('./lib/paths');\n");
    expect(adapterClosure(entry).map((file) => relative(dir, file))).toEqual(['acme.adapter.ts', 'lib/shapes.ts', 'lib/paths.ts']);
  });

  it('refuses an import from outside its folder, an absolute one and a missing one', () => {
    write('shared.ts', 'export const x = 1;\n');
    const up = write('nested/up.adapter.ts', "import { x } from '../shared.ts';\n");
    const absolute = write('absolute.adapter.ts', `import reference from ${JSON.stringify(join(ROOT, 'src/adapter/reference/index.ts'))};\n`);
    const missing = write('missing.adapter.ts', "import { y } from './nowhere.ts';\n");
    expect(() => adapterClosure(up)).toThrow("--adapter up.adapter.ts imports ../shared.ts, outside the adapter's folder");
    expect(() => adapterClosure(absolute)).toThrow(/imports \/.*index\.ts, an absolute path the worker image does not have/);
    expect(() => adapterClosure(missing)).toThrow('--adapter missing.adapter.ts imports ./nowhere.ts, which does not exist');
  });
});
