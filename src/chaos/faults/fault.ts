/**
 * The shape every fault shares. A fault is a small object that knows how to break one proxy and how to put it
 * back, in the spirit of Toxiproxy's own toxics: plain nouns, one apply/heal pair, no scheduling and no
 * probability of its own (the nemesis schedules; toxicity is applied once, in toxic-fault.ts).
 */

/**
 * Which proxy a fault breaks: `client` sits between the simulated cameras/users and the target, `cache` between
 * the reference cloud and its Redis.
 */
export type ProxyPath = 'client' | 'cache';

/** Toxiproxy's directions: `upstream` is client to server, `downstream` server to client. */
export type ToxicStream = 'upstream' | 'downstream';

/** Which directions a toxic fault covers; `both` installs one toxic per direction. */
export type StreamChoice = ToxicStream | 'both';

/** The Toxiproxy toxic types the faults use. */
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/** One toxic as Toxiproxy takes it. `name` is unique on its proxy, which is how heal finds it again. */
export interface ToxicDefinition {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  /** Share of connections affected, 0..1. */
  toxicity: number;
  attributes: Record<string, number>;
}

/**
 * What a fault may do to the one proxy it is given. Every call is bounded in time by the client behind it.
 * Heal-side calls must tolerate "already done": removing a toxic that is gone and enabling an enabled proxy
 * are not errors, so a heal can be repeated, or run after an apply that failed half way.
 */
export interface ProxyControl {
  /** The Toxiproxy proxy name, for messages. */
  readonly proxy: string;
  setEnabled(enabled: boolean): Promise<void>;
  addToxic(toxic: ToxicDefinition): Promise<void>;
  /** Removes a toxic by name; a toxic that is not there is fine. */
  removeToxic(name: string): Promise<void>;
}

/** A fault bound to its parameters and its id, ready to apply to a proxy and to heal. */
export interface Fault {
  /** The fault's kind, e.g. `latency`; recorded in the history. */
  readonly name: string;
  readonly path: ProxyPath;
  /** Pairs the fault's start and heal in the history; also prefixes the names of its toxics. */
  readonly id: string;
  /** Its parameters as recorded in the history. */
  readonly detail: Record<string, unknown>;
  apply(proxy: ProxyControl): Promise<void>;
  /** Restores what apply changed. Idempotent, and safe after a failed or partial apply. */
  heal(proxy: ProxyControl): Promise<void>;
}
