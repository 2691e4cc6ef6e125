// SPDX-License-Identifier: GPL-3.0-or-later
// Where an unlock's time goes, as User Timing marks (`keydeck:unlock-start`, `-opened`,
// `-listed`, `-codes`): `make bench` reads them from the real window to report the breakdown
// next to the total. Only the latest unlock's marks are kept.

const STEPS = ['start', 'opened', 'listed', 'codes'] as const;

export type UnlockStep = (typeof STEPS)[number];

export function markUnlock(step: UnlockStep): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (step === 'start') for (const s of STEPS) performance.clearMarks(`keydeck:unlock-${s}`);
  // Listed and codes happen again on every refresh: only the first after an unlock counts.
  else if (performance.getEntriesByName(`keydeck:unlock-${step}`).length > 0) return;
  performance.mark(`keydeck:unlock-${step}`);
}
