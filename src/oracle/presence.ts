/**
 * When each user first logged in, so a delivery's latency runs from when the event could have been delivered: the
 * later of its ack and the first login of any user who may be entitled to it. A user whose app has not opened yet
 * cannot be shown anything; without this, the fleet's own ramp-up (cameras and users start over the first half of
 * the warm-up, independently) counted as the target's delay, and at 10,001 clients, where logins reached 15 s, it
 * alone broke the delivery gate. Later absences (an outage dropping every push channel) still count: a logged-in
 * user polls, and the target is expected to catch them up.
 *
 * A history with no login records (older journals, synthetic ones) keeps latency from the ack.
 */
export class Presence {
  /** Per user number: the first login's time, NaN before it. */
  private readonly since: Float64Array;

  constructor(users: number) {
    this.since = new Float64Array(users).fill(NaN);
  }

  login(user: number, t: number): void {
    if (user >= 0 && Number.isNaN(this.since[user]!)) this.since[user] = t;
  }

  /** Did `user` first log in after `t`? False when the history records no login for it. */
  cameAfter(user: number, t: number): boolean {
    return this.since[user]! > t;
  }

  /**
   * From when an event acked at `ackedAt`, first shown to entitled user `user`, could have been delivered, for a
   * user who `cameAfter` the ack (the caller asks that first: almost always it is false, and the ack is the answer);
   * `others` are the users who may share it (every user its camera ever concerned), undefined when only `user` ever could.
   */
  deliverableFrom(ackedAt: number, user: number, others: readonly number[] | undefined): number {
    let first = this.since[user]!;
    if (others !== undefined) {
      for (const other of others) {
        const since = this.since[other]!;
        if (since < first) first = since; // NaN (not logged in yet) never compares less
      }
    }
    return Math.max(ackedAt, first);
  }
}
