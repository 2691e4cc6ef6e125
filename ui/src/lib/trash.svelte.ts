// SPDX-License-Identifier: GPL-3.0-or-later
// Removing an account moves it to the Trash; the toast that says so offers Undo for 10 s.
import { tick } from 'svelte';
import { cardOpenButton } from './dialogs';
import { accountRemove, errorMessage, trashRestore } from './ipc';
import { session } from './session.svelte';
import { toasts } from './toast.svelte';

/** Bumped after a restore from outside the Trash screen (the toast's Undo), so it reloads. */
export const trash = $state({ version: 0 });

/** Where focus goes when what had it is gone: the card, else the search field, else the heading. */
export function focusAfterChange(id: string | null): void {
  const target =
    (id ? cardOpenButton(id) : null) ??
    document.getElementById('accounts-search') ??
    document.querySelector<HTMLElement>('main h1');
  target?.focus();
}

/** Moves the account to the Trash and shows "Moved GitHub to the Trash" with Undo. */
export async function removeToTrash(id: string, name: string): Promise<void> {
  await accountRemove(id);
  toasts.show(`Moved ${name} to the Trash`, { action: { label: 'Undo', run: () => undoRemove(id, name) } });
  await session.refreshAccounts();
}

async function undoRemove(id: string, name: string): Promise<void> {
  try {
    await trashRestore(id);
  } catch (e) {
    toasts.error(errorMessage(e));
    focusAfterChange(null);
    return;
  }
  trash.version += 1;
  await session.refreshAccounts();
  toasts.show(`Restored ${name}`);
  await tick();
  focusAfterChange(id);
}
