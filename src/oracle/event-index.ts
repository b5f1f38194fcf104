/**
 * Event id to event number: the one hash lookup every `sent`, `acked` and shown item pays. A Map would do, but
 * it costs two probes per `sent` (look up, then insert), rehashes a whole table of entries as it grows, and its
 * big backing store triggers full collections of everything else the process holds. This is an open-addressing
 * table in one Int32Array of [hash, number + 1] pairs (linear probing, load at most one half), so a miss leaves
 * the slot where the id belongs for an insert right after, growth copies plain integers, and forgetting an event
 * (the oracle's horizon) is a backward shift: no tombstones, so lookups stay short over hours.
 *
 * The ids themselves are not stored here: `keyAt(number)` reads them from the event book, which keeps them anyway.
 */

const EMPTY = 0;

/**
 * FNV-1a over UTF-16 code units; ids are short ASCII, so this is a dozen or two multiplies. Cut to 30 bits so it
 * stays a small integer: a larger one would be boxed on the heap every time it leaves this function.
 */
function hashOf(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 30)) & 0x3fffffff;
}

export class EventIndex {
  private slots: Int32Array;
  private mask: number;
  private live = 0;
  /** Where the last missed id would go, valid until the table changes: `insert` right after `find` probes no more. */
  private vacantId: string | null = null;
  private vacantSlot = 0;
  private vacantHash = 0;

  constructor(
    private readonly keyAt: (n: number) => string,
    capacity = 1024,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
  }

  get size(): number {
    return this.live;
  }

  /** The event number for `id`, or -1. */
  find(id: string): number {
    const hash = hashOf(id);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const stored = slots[slot * 2 + 1]!;
      if (stored === EMPTY) break;
      if (slots[slot * 2] === hash && this.keyAt(stored - 1) === id) return stored - 1;
      slot = (slot + 1) & mask;
    }
    this.vacantId = id;
    this.vacantSlot = slot;
    this.vacantHash = hash;
    return -1;
  }

  /**
   * Adds `id` as event `n`; the caller knows it is absent (`find` said -1). Returns the id's hash for `delete`:
   * by the time an event is forgotten its id string is long out of the cache, and hashing it again costs a miss.
   */
  insert(id: string, n: number): number {
    if ((this.live + 1) * 2 > this.mask + 1) this.grow();
    if (this.vacantId !== id) this.find(id);
    const hash = this.vacantHash;
    this.slots[this.vacantSlot * 2] = hash;
    this.slots[this.vacantSlot * 2 + 1] = n + 1;
    this.vacantId = null;
    this.live++;
    return hash;
  }

  /** Forgets event `n`, whose id `insert` hashed to `hash`, shifting back the entries that probed past it so no lookup stops short. */
  delete(hash: number, n: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    while (slots[slot * 2 + 1] !== n + 1) {
      if (slots[slot * 2 + 1] === EMPTY) return;
      slot = (slot + 1) & mask;
    }
    this.vacantId = null;
    this.live--;
    let hole = slot;
    let next = (slot + 1) & mask;
    while (slots[next * 2 + 1] !== EMPTY) {
      const home = slots[next * 2]! & mask;
      // The entry at `next` may fill the hole only if its home is not strictly between the hole and it (cyclically).
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!between) {
        slots[hole * 2] = slots[next * 2]!;
        slots[hole * 2 + 1] = slots[next * 2 + 1]!;
        hole = next;
      }
      next = (next + 1) & mask;
    }
    slots[hole * 2] = 0;
    slots[hole * 2 + 1] = EMPTY;
  }

  /** Makes room for `count` ids at once without growing again. */
  reserve(count: number): void {
    let size = this.mask + 1;
    while (size < count * 2) size *= 2;
    if (size > this.mask + 1) this.grow(size);
  }

  private grow(size = (this.mask + 1) * 2): void {
    const old = this.slots;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === EMPTY) continue;
      let slot = old[i]! & mask;
      while (slots[slot * 2 + 1] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot * 2] = old[i]!;
      slots[slot * 2 + 1] = old[i + 1]!;
    }
    this.slots = slots;
    this.mask = mask;
    this.vacantId = null;
  }
}
