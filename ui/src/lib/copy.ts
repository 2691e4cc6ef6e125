// SPDX-License-Identifier: GPL-3.0-or-later
// Copying a code, the same from a card, the details, the search field and quick access: Rust puts
// it on the clipboard (and clears it later); the toast says which code it was.
import { codeCopy, errorMessage } from './ipc';
import { session } from './session.svelte';
import { copiedMessage, toasts } from './toast.svelte';

/** Copies the account's code; near the rollover Rust copies the next one and the toast says so. */
export async function copyCode(id: string): Promise<boolean> {
  try {
    const copied = await codeCopy(id);
    const clear = session.settings.clipboardClearSeconds;
    if (copied.next && copied.remaining !== null) {
      const left = copied.remaining === 1 ? '1 second' : `${copied.remaining} seconds`;
      const clears = clear > 0 ? ` — clears in ${clear} s` : '';
      toasts.show(`Copied the next code (the current one had ${left} left)${clears}`);
    } else {
      toasts.show(copiedMessage(clear));
    }
    return true;
  } catch (e) {
    toasts.error(errorMessage(e));
    return false;
  }
}
