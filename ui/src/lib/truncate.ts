// SPDX-License-Identifier: GPL-3.0-or-later
// A tooltip with the full text, only on elements whose text is cut off (text-overflow: ellipsis).
// Checked when the pointer or focus arrives, so nothing measures layout while the list renders.
import type { Action } from 'svelte/action';

export function isCut(el: HTMLElement): boolean {
  return el.scrollWidth > el.clientWidth + 1;
}

export const titleWhenCut: Action<HTMLElement, string> = (node, text) => {
  let full = text;
  const update = () => {
    if (full && isCut(node)) node.title = full;
    else node.removeAttribute('title');
  };
  node.addEventListener('pointerenter', update);
  node.addEventListener('focus', update);
  return {
    update(next: string) {
      full = next;
      if (node.hasAttribute('title')) update();
    },
    destroy() {
      node.removeEventListener('pointerenter', update);
      node.removeEventListener('focus', update);
    },
  };
};
