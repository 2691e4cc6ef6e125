// SPDX-License-Identifier: GPL-3.0-or-later
// Messages stay where the user looks: a status that appears (or a part that opens) is scrolled
// into view if it would land above or below the visible area — "MFA is on" after Save Code's
// Done, "Saved 5 codes" under a long list, the Save button below Advanced settings.

/** Svelte action: scroll `node` (or `target()`) into view once it is shown. */
export function reveal(node: HTMLElement, target?: () => HTMLElement | null | undefined) {
  // After layout: the element's final position is known once the frame is painted.
  const frame = requestAnimationFrame(() => {
    const el = target?.() ?? node;
    el.scrollIntoView?.({ block: 'nearest', behavior: 'auto' });
  });
  return { destroy: () => cancelAnimationFrame(frame) };
}
