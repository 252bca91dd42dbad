/**
 * Bytes received per peer address, for an engine that reports only speeds (aria2): each peer's download
 * speed integrated over the time since the last reading. A reading older than the last one (a poll that
 * came back late) adds nothing, so no total ever goes down.
 */
export class PeerBytes {
  readonly #totals: Record<string, number> = {};
  #last: number;

  constructor(now: number) {
    this.#last = now;
  }

  add(peers: { ip: string; downloadSpeed: string | number }[], now: number): void {
    const dt = now - this.#last;
    if (dt <= 0) return;
    this.#last = now;
    for (const p of peers) {
      const speed = Number(p.downloadSpeed);
      if (Number.isFinite(speed) && speed > 0)
        this.#totals[p.ip] = (this.#totals[p.ip] ?? 0) + (speed * dt) / 1000;
    }
  }

  totals(): Record<string, number> {
    return { ...this.#totals };
  }
}
