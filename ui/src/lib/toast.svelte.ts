// SPDX-License-Identifier: GPL-3.0-or-later
// Short, polite notifications ("Copied — clears in 30 s"). Rendered by Toast.svelte in a live region.

export type ToastTone = 'info' | 'error';
/** A button in the toast ("Undo"): runs once, then the toast goes. */
export type ToastAction = { label: string; run: () => void | Promise<void> };
export type ToastOptions = { tone?: ToastTone; ms?: number; action?: ToastAction };
export type ToastItem = { id: number; message: string; tone: ToastTone; action?: ToastAction };

class Toasts {
  items = $state<ToastItem[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(message: string, toneOrOptions: ToastTone | ToastOptions = 'info', ms?: number): number {
    const o: ToastOptions = typeof toneOrOptions === 'string' ? { tone: toneOrOptions, ms } : toneOrOptions;
    const tone = o.tone ?? 'info';
    // An action needs time to be reached: 10 s.
    ms = o.ms ?? (o.action ? 10_000 : tone === 'error' ? 7000 : 4000);
    const id = this.#next++;
    // One message at a time per text: repeated copies replace the older toast.
    this.items = [...this.items.filter((t) => t.message !== message), { id, message, tone, action: o.action }].slice(-3);
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), ms),
    );
    return id;
  }

  error(message: string): number {
    return this.show(message, 'error');
  }

  /** Runs the toast's action (once) and dismisses it. */
  async act(id: number): Promise<void> {
    const t = this.items.find((x) => x.id === id);
    this.dismiss(id);
    await t?.action?.run();
  }

  dismiss(id: number): void {
    const timer = this.#timers.get(id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.items = [];
  }
}

export const toasts = new Toasts();

/** The toast after any copy done in Rust. */
export function copiedMessage(clearSeconds: number): string {
  return clearSeconds > 0 ? `Copied — clears in ${clearSeconds} s` : 'Copied';
}
