/**
 * Event list cursors. Opaque to clients; inside, the acceptance sequence number of the last event the client
 * was walked past. A fixed prefix makes a cursor from somewhere else fail loudly instead of meaning something.
 */
const CURSOR = /^c([0-9a-z]{1,11})$/;

export function encodeCursor(seq: number): string {
  return `c${seq.toString(36)}`;
}

/** The sequence number in `cursor`, or undefined when it is not a cursor this cloud handed out. */
export function decodeCursor(cursor: string): number | undefined {
  const match = CURSOR.exec(cursor);
  if (!match) return undefined;
  const seq = Number.parseInt(match[1]!, 36);
  return Number.isSafeInteger(seq) ? seq : undefined;
}
