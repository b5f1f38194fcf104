/**
 * Is a change to the oracle faster, and does it judge exactly the same? Runs the oracle of another checkout (the
 * baseline, A) and this one (B) on the bench's history, alternating rounds in one process and measuring CPU time
 * per round: on a shared machine the absolute figures swing several-fold with the load, but two rounds next to
 * each other see about the same load, so the median of their ratios is the figure to read. Then compares the
 * verdict JSON of both on several seeded histories and horizons, built as the bench builds them and as a journal
 * read back gives them (JSON: flat strings, a new string per record).
 *
 *   git archive <commit> src | tar -x -C /tmp/base     (the baseline's sources; imports resolve from here)
 *   node --expose-gc --import tsx bench/oracle-ab.ts /tmp/base [events] [rounds]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { feed, judge } from '../src/oracle/judge.ts';
import { Oracle } from '../src/oracle/oracle.ts';
import type { HistoryRecord } from '../src/world/history.ts';
import type { World } from '../src/world/types.ts';
import { buildHistory, buildWorld, seeded } from './oracle-history.ts';

const [baseDir, eventsArg, roundsArg] = process.argv.slice(2);
if (baseDir === undefined) {
  console.error('usage: oracle-ab.ts <baseline checkout> [events] [rounds]  (see the comment at the top of bench/oracle-ab.ts)');
  process.exit(2);
}
const EVENTS = Number(eventsArg ?? 600_000);
const ROUNDS = Number(roundsArg ?? 6);
const base = pathToFileURL(resolve(baseDir, 'src/oracle/judge.ts')).href;
const A = (await import(base)) as typeof import('../src/oracle/judge.ts');
const AOracle = ((await import(base.replace(/judge\.ts$/, 'oracle.ts'))) as typeof import('../src/oracle/oracle.ts')).Oracle;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Items judged per CPU second in one round of one oracle. */
function round(which: 'A' | 'B', world: World, history: readonly HistoryRecord[]): number {
  gc();
  const start = process.cpuUsage();
  const oracle = which === 'A' ? new AOracle(world, { minThumbnails: 0 }) : new Oracle(world, { minThumbnails: 0 });
  const checked = oracle.verdict((which === 'A' ? A.feed : feed)(oracle as Oracle, history)).checked.total;
  const used = process.cpuUsage(start);
  return checked / ((used.user + used.system) / 1e6);
}

const random = seeded(42);
const world = buildWorld(random);
const history = buildHistory(world, random, EVENTS);
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which goes first, so neither always runs right after a collection of the other's garbage.
  if (r % 2 === 0) a.push(round('A', world, history)), b.push(round('B', world, history));
  else b.push(round('B', world, history)), a.push(round('A', world, history));
}
const ratios = b.map((x, i) => x / a[i]!).sort((x, y) => x - y);
const middle = ratios.length / 2;
const median = ratios.length % 2 === 1 ? ratios[Math.floor(middle)]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
const millions = (xs: number[]) => xs.map((x) => (x / 1e6).toFixed(2)).join(' ');
console.log(`${EVENTS.toLocaleString()} events, ${ROUNDS} rounds each, million items per CPU second:`);
console.log(`  A (baseline) ${millions(a)}; best ${millions([Math.max(...a)])}`);
console.log(`  B (this)     ${millions(b)}; best ${millions([Math.max(...b)])}`);
console.log(`  B/A by round ${ratios.map((x) => x.toFixed(2)).join(' ')}; median ${median.toFixed(2)}`);

let differing = 0;
for (const seed of [42, 7, 3]) {
  const r = seeded(seed);
  const w = buildWorld(r);
  const built = buildHistory(w, r, Math.min(EVENTS, 120_000));
  for (const [form, h] of [['built', built], ['json', JSON.parse(JSON.stringify(built)) as HistoryRecord[]]] as const) {
    for (const horizonMs of [undefined, 33_000, 40_000, 60_000]) {
      const options = { minThumbnails: 0, ...(horizonMs === undefined ? {} : { horizonMs }) };
      if (JSON.stringify(A.judge(w, h, options)) === JSON.stringify(judge(w, h, options))) continue;
      differing++;
      console.log(`  verdicts DIFFER: seed ${seed}, ${form} history, horizon ${horizonMs ?? 'default'}`);
    }
  }
}
console.log(differing === 0 ? 'verdicts identical on seeds 42, 7, 3 (built and JSON histories; horizons default, 33, 40, 60 s)' : `${differing} verdicts differ`);
process.exitCode = differing === 0 ? 0 : 1;
