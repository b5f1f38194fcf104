/**
 * Event ids. docs/protocol.md lets the camera choose them, and ours name their maker: `${cameraId}.e${n}` for the
 * camera's n-th event. So an id says which camera made the event whatever camera a target labels it with.
 */
export function eventIdOf(cameraId: string, n: number): string {
  return `${cameraId}.e${n}`;
}

/** The camera that made `eventId`, or undefined for an id none of our cameras would make. */
export function makerOf(eventId: string): string | undefined {
  return /^(.+)\.e[1-9][0-9]*$/.exec(eventId)?.[1];
}
