// SPDX-License-Identifier: GPL-3.0-or-later
// Focus helpers for modal dialogs and the stack of open dialogs (only the topmost handles keys).

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** Elements reachable with Tab inside root, in DOM order (radio groups count once). */
export function focusables(root: HTMLElement): HTMLElement[] {
  const all = Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.closest('[hidden], [inert]') && el.tabIndex >= 0,
  );
  const seenGroups = new Set<string>();
  return all.filter((el) => {
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      const key = el.name;
      const group = all.filter(
        (o): o is HTMLInputElement => o instanceof HTMLInputElement && o.type === 'radio' && o.name === key,
      );
      const chosen = group.find((r) => r.checked) ?? group[0];
      if (seenGroups.has(key)) return false;
      if (el !== chosen) return false;
      seenGroups.add(key);
    }
    return true;
  });
}

const stack: symbol[] = [];
const layers = new Map<symbol, HTMLElement>();

/**
 * Everything behind the topmost dialog is `inert`: the page (`.app-shell`) and any dialog below
 * it. Screen readers and Tab then only reach the dialog, and a click behind it does nothing. The
 * toast region stays live (it is outside the shell): an Undo there must remain reachable.
 */
function applyInert(): void {
  if (typeof document === 'undefined') return;
  const top = stack[stack.length - 1];
  document.querySelector('.app-shell')?.toggleAttribute('inert', stack.length > 0);
  for (const [token, layer] of layers) layer.toggleAttribute('inert', token !== top);
}

/** Registers an open dialog; `layer` (its backdrop) is moved to <body>, out of the inert page. */
export function pushDialog(layer?: HTMLElement): symbol {
  const token = Symbol('dialog');
  stack.push(token);
  if (layer && typeof document !== 'undefined') {
    document.body.appendChild(layer);
    layers.set(token, layer);
  }
  applyInert();
  return token;
}

export function popDialog(token: symbol): void {
  const i = stack.indexOf(token);
  if (i >= 0) stack.splice(i, 1);
  layers.delete(token);
  applyInert();
}

export function isTopDialog(token: symbol): boolean {
  return stack[stack.length - 1] === token;
}

export function isDialogOpen(): boolean {
  return stack.length > 0;
}

let counter = 0;
/** Unique id for aria-labelledby / aria-describedby pairs. */
export function uid(prefix = 'kd'): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** True when the key event comes from a field where typing "/" must not trigger shortcuts. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(
      target.type,
    );
  }
  return false;
}

/** The "open details" button of an account's card (focus target after dialogs and navigation). */
export function cardOpenButton(accountId: string): HTMLElement | null {
  return accountControl('card-open', accountId);
}

/** The element with `data-testid={testid}` and `data-account-id={accountId}`, if shown. */
export function accountControl(testid: string, accountId: string): HTMLElement | null {
  const value = accountId.replace(/["\\]/g, '\\$&');
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"][data-account-id="${value}"]`);
}
