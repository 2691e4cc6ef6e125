// SPDX-License-Identifier: GPL-3.0-or-later
// App-wide state of the unlocked session. `clear()` drops every piece of account data: it runs on
// lock, on the backend's `vault-locked` event and whenever a command answers `locked`.
import {
  accountsList,
  errorMessage,
  settingsGet,
  vaultLock,
  vaultStatus,
  type AccountCard,
  type Settings,
  type VaultStatus,
} from './ipc';
import { codes } from './codes.svelte';
import { markUnlock } from './timing';
import { toasts } from './toast.svelte';
import { applyTheme, cachedTheme } from './theme';

export type View =
  | { name: 'accounts' }
  | { name: 'details'; id: string; tab: 'general' | 'activity' }
  | { name: 'settings' }
  | { name: 'trash' };

export type SortKey = 'name' | 'recent' | 'level';

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  theme: 'system',
};

class Session {
  status = $state<VaultStatus | null>(null);
  unlocked = $state(false);
  // Raw, not deeply reactive: the list is only ever replaced whole, and a deep proxy over 1,000
  // accounts costs memory and time on every unlock and refresh.
  accounts = $state.raw<AccountCard[]>([]);
  accountsLoaded = $state(false);
  settings = $state<Settings>({ ...DEFAULT_SETTINGS, theme: cachedTheme() });
  view = $state<View>({ name: 'accounts' });
  /** The success message box ("MFA is on for GitHub"). */
  notice = $state<string | null>(null);
  search = $state('');
  tag = $state('');
  sort = $state<SortKey>('name');
  /** The lock screen tried the keychain at app start (it does so once per run). */
  startupKeychainTried = false;
  /**
   * A message for the lock screen after the app locked on purpose ("Restored the backup of …").
   * Survives `clear()`; dropped by the next unlock or an ordinary lock.
   */
  lockMessage = $state<string | null>(null);
  /** Account whose card should get focus when coming back to the list. */
  returnTo = $state<string | null>(null);

  /** Bumped by `clear()`: an `enter()` still loading when the vault is locked shows nothing. */
  #generation = 0;

  /**
   * Called once the vault is open: loads the list, the settings and the live codes, then shows
   * the accounts. Loading first means the page is laid out and painted once, with its cards and
   * their codes, instead of empty and again a moment later (~60 ms per frame in software
   * rendering, measured in the app window).
   */
  async enter(): Promise<void> {
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    const [list, settings] = await Promise.all([
      this.#fetchList(current),
      settingsGet().catch((e: unknown) => {
        if (current()) toasts.error(`Settings could not be loaded: ${errorMessage(e)}`);
        return null;
      }),
      codes.start(),
    ]);
    if (!current()) return;
    this.unlocked = true;
    this.lockMessage = null;
    if (this.status) this.status = { ...this.status, exists: true, unlocked: true };
    if (settings) {
      this.settings = settings;
      applyTheme(settings.theme);
    }
    if (list) this.#showList(list);
  }

  async refreshAccounts(): Promise<void> {
    const list = await this.#fetchList(() => this.unlocked);
    if (list && this.unlocked) this.#showList(list);
  }

  /** The account list, or null after saying why (unless `current()` no longer holds). */
  async #fetchList(current: () => boolean): Promise<AccountCard[] | null> {
    try {
      return await accountsList();
    } catch (e) {
      if (current()) toasts.error(errorMessage(e));
      return null;
    }
  }

  #showList(list: AccountCard[]): void {
    this.accounts = list;
    this.accountsLoaded = true;
    markUnlock('listed');
  }

  open(view: View): void {
    if (this.view.name === 'details' && view.name === 'accounts') this.returnTo = this.view.id;
    this.view = view;
    this.notice = null;
  }

  showDetails(id: string, tab: 'general' | 'activity' = 'general'): void {
    this.open({ name: 'details', id, tab });
  }

  /** Forget all account data and go back to the lock screen. */
  clear(): void {
    this.#generation += 1;
    codes.stop();
    toasts.clear();
    this.unlocked = false;
    this.accounts = [];
    this.accountsLoaded = false;
    this.view = { name: 'accounts' };
    this.notice = null;
    this.search = '';
    this.tag = '';
    this.returnTo = null;
    if (this.status) this.status = { ...this.status, exists: true, unlocked: false };
    // The lock screen's keychain button follows the vault as it is now (the CLI or Settings may
    // have turned keychain unlock on or off since the app started).
    const generation = this.#generation;
    void vaultStatus()
      .then((s) => {
        if (generation === this.#generation && !this.unlocked) this.status = s;
      })
      .catch(() => {});
  }

  /** Lock on demand (button, Ctrl+L, idle). State is dropped even if the call fails. */
  async lock(): Promise<void> {
    this.lockMessage = null;
    try {
      await vaultLock();
    } catch {
      /* the backend may already be locked */
    } finally {
      this.clear();
    }
  }

  /**
   * The backend has locked the vault itself (a restore replaced it): drop the session and show
   * the lock screen with `message`.
   */
  lockedWith(message: string): void {
    this.clear();
    this.lockMessage = message;
  }

  /** Test helper: back to a pristine state. */
  reset(): void {
    this.clear();
    this.lockMessage = null;
    this.status = null;
    this.sort = 'name';
    this.settings = { ...DEFAULT_SETTINGS };
  }
}

export const session = new Session();
