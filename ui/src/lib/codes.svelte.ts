// SPDX-License-Identifier: GPL-3.0-or-later
// Live TOTP/Steam codes for every account. One `codes_now` call fetches all of them; the next call
// is scheduled for the moment the soonest code rolls over (`remaining`), while a one-second clock
// drives the countdown rings in between.
import { codesNow, type CodeView } from './ipc';
import { markUnlock } from './timing';

/** Show the next code when this many seconds (or fewer) are left. */
export const NEXT_CODE_AT = 7;

class LiveCodes {
  // Replaced whole on every fetch (see `accounts` in session.svelte.ts for why raw).
  byId = $state.raw<Record<string, CodeView>>({});
  /** Wall clock in ms, updated on every second boundary while running. */
  now = $state(Date.now());
  #fetchedSecond = 0;
  #dueSecond = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #generation = 0;
  #inFlight = false;
  #again = false;
  #sleeping = false;

  constructor() {
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        if (document.hidden || !this.#sleeping || !this.#running) return;
        this.#sleeping = false;
        this.now = Date.now();
        if (Math.floor(this.now / 1000) >= this.#dueSecond) void this.refresh();
        this.#schedule();
      });
    }
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts polling; resolves once the first codes are in (or failed). */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#running = true;
    this.#generation += 1;
    const first = this.refresh();
    this.#schedule();
    return first;
  }

  stop(): void {
    this.#running = false;
    this.#sleeping = false;
    this.#generation += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.byId = {};
  }

  /** Fetch now (after saving a new secret, for instance). */
  async refresh(): Promise<void> {
    if (!this.#running) return;
    if (this.#inFlight) {
      // Something changed while a fetch was under way (e.g. MFA just turned on): fetch again after it.
      this.#again = true;
      return;
    }
    const generation = this.#generation;
    this.#inFlight = true;
    try {
      const list = await codesNow();
      if (generation !== this.#generation) return; // locked or restarted meanwhile
      const map: Record<string, CodeView> = {};
      let soonest = Infinity;
      for (const c of list) {
        map[c.id] = c;
        if (c.remaining !== null && c.remaining > 0) soonest = Math.min(soonest, c.remaining);
      }
      this.now = Date.now();
      this.#fetchedSecond = Math.floor(this.now / 1000);
      this.#dueSecond = this.#fetchedSecond + (Number.isFinite(soonest) ? soonest : 10);
      this.byId = map;
      markUnlock('codes');
    } catch {
      // A locked vault is handled by the ipc locked handler; otherwise retry shortly.
      this.#dueSecond = Math.floor(Date.now() / 1000) + 3;
    } finally {
      this.#inFlight = false;
      if (this.#again && generation === this.#generation) {
        this.#again = false;
        void this.refresh();
      }
    }
  }

  /**
   * The period most of the live codes share (30 s almost always), or null without live codes.
   * TOTP periods count from the Unix epoch, so every code with this period rolls over at the same
   * moment: the grid shows one countdown for all of them and a ring only on cards that differ —
   * as Aegis does. One ring ticking instead of fifty keeps the idle app near zero CPU.
   */
  get sharedPeriod(): number | null {
    const counts = new Map<number, number>();
    for (const c of Object.values(this.byId)) {
      if (c.remaining !== null && c.period !== null && c.period > 0) counts.set(c.period, (counts.get(c.period) ?? 0) + 1);
    }
    let best: number | null = null;
    let most = 0;
    for (const [period, n] of counts) {
      if (n > most || (n === most && best !== null && period < best)) [best, most] = [period, n];
    }
    return best;
  }

  /** Seconds left in the current step of `period` (the same for every code with that period). */
  remainingIn(period: number): number {
    return period - (Math.floor(this.now / 1000) % period);
  }

  /** Seconds left for one code, counted down locally between fetches. */
  remaining(id: string): number | null {
    const c = this.byId[id];
    if (!c || c.remaining === null) return null;
    const elapsed = Math.floor(this.now / 1000) - this.#fetchedSecond;
    return Math.max(0, c.remaining - Math.max(0, elapsed));
  }

  #schedule(): void {
    if (!this.#running) return;
    const delay = 1000 - (Date.now() % 1000) + 15;
    this.#timer = setTimeout(() => {
      if (!this.#running) return;
      if (typeof document !== 'undefined' && document.hidden) {
        // Nothing to show while the window is hidden or minimised: no ticks, no repaints. The
        // visibility listener below picks the clock up again (and fetches if a code rolled over).
        this.#timer = null;
        this.#sleeping = true;
        return;
      }
      this.now = Date.now();
      if (Math.floor(this.now / 1000) >= this.#dueSecond) void this.refresh();
      this.#schedule();
    }, delay);
  }
}

export const codes = new LiveCodes();
