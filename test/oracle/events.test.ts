import { describe, expect, it } from 'vitest';
import { DUPLICATE, EventBook, FIRST_SIGHT, SEEN_ELSEWHERE } from '../../src/oracle/events.ts';
import { AccessTimeline } from '../../src/world/timeline.ts';
import { tinyWorld } from './fixtures.ts';

const timeline = new AccessTimeline(tinyWorld());
const camA = timeline.camera('camA')!;

describe('EventBook', () => {
  it('tells first sights, sights on the other surface and duplicates apart, past the three kept in the row', () => {
    const book = new EventBook(timeline);
    const n = book.add('e1', camA.number, 100, 'd', 'c');
    expect(book.see(n, 0, false)).toBe(FIRST_SIGHT);
    expect(book.see(n, 0, true)).toBe(SEEN_ELSEWHERE);
    expect(book.see(n, 0, true)).toBe(DUPLICATE);
    expect(book.see(n, 1, false)).toBe(FIRST_SIGHT);
    // The fourth and fifth sights no longer fit in the row.
    expect(book.see(n, 2, false)).toBe(FIRST_SIGHT);
    expect(book.see(n, 2, true)).toBe(SEEN_ELSEWHERE);
    expect(book.see(n, 2, true)).toBe(DUPLICATE);
    expect(book.reached(n, 2)).toBe(true);
    expect(book.reached(n, 7)).toBe(false);
  });

  it('keeps every event apart as it grows, and bounds acceptance by the ack or the first sight', () => {
    const book = new EventBook(timeline);
    for (let i = 0; i < 5000; i++) book.add(`e${i}`, camA.number, i, `d${i}`, `c${i}`);
    expect(book.size).toBe(5000);
    expect(book.find('e4321')).toBe(4321);
    expect(book.find('nope')).toBe(-1);
    expect(book.sentAt(4321)).toBe(4321);
    expect(book.acceptedBy(10)).toBe(Infinity);
    book.shown(10, 500);
    expect(book.acceptedBy(10)).toBe(500);
    expect(book.ack(10, 300)).toBe(true);
    expect(book.ack(10, 250)).toBe(false);
    expect(book.acceptedBy(10)).toBe(250);
    expect(book.see(4999, 3, true)).toBe(FIRST_SIGHT);
    expect(book.reached(4998, 3)).toBe(false);
  });

  it('knows every version a camera sent, and hands waiting deliveries over once', () => {
    const book = new EventBook(timeline);
    const n = book.add('e1', camA.number, 0, 'd1', 'c1');
    book.addVersion(n, 'd2', 'c2');
    expect(book.hasVersion(n, 'd2', 'c2')).toBe(true);
    expect(book.hasVersion(n, 'd2', 'c1')).toBe(false);
    expect(book.hasVersion(n, 'd1', null)).toBe(true);
    expect(book.hasVersion(n, 'd3', null)).toBe(false);
    book.awaitAck(n, 40);
    book.awaitAck(n, 60);
    expect(book.firstWaiting(n)).toBe(40);
    expect(book.takeWaiting(n)).toEqual([60]);
    expect(book.firstWaiting(n)).toBeNaN();
    expect(book.takeWaiting(n)).toBeUndefined();
  });

  it('keeps every held event when room is reserved between adds, after some were released', () => {
    const book = new EventBook(timeline);
    for (let i = 0; i < 1500; i++) book.add(`e${i}`, camA.number, i, `d${i}`, `c${i}`);
    for (let i = 0; i < 700; i++) book.releaseOldest();
    book.reserve(100_000);
    for (let i = 1500; i < 3000; i++) book.add(`e${i}`, camA.number, i, `d${i}`, `c${i}`);
    expect(book.find('e699')).toBe(-1);
    for (const i of [700, 1499, 1500, 2999]) {
      expect(book.find(`e${i}`)).toBe(i);
      expect(book.sentAt(i)).toBe(i);
      expect(book.hasVersion(i, `d${i}`, `c${i}`)).toBe(true);
    }
  });
});
