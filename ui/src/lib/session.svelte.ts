// SPDX-License-Identifier: GPL-3.0-or-later
// App-wide state of the unlocked session. `clear()` drops every piece of account data: it runs on
// lock, on the backend's `vault-locked` event and whenever a command answers `locked`.
import {
  accountsList,
  errorMessage,
  settingsGet,
  vaultLock,
  type AccountCard,
  type Settings,
  type VaultStatus,
} from './ipc';
import { codes } from './codes.svelte';
import { printSheet } from './print.svelte';
import { toasts } from './toast.svelte';
import { applyTheme, cachedTheme } from './theme';

export type View =
  | { name: 'accounts' }
  | { name: 'details'; id: string; tab: 'general' | 'activity' }
  | { name: 'settings' };

export type SortKey = 'name' | 'recent' | 'level';

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  theme: 'system',
};

class Session {
  status = $state<VaultStatus | null>(null);
  unlocked = $state(false);
  accounts = $state<AccountCard[]>([]);
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
  /** Account whose card should get focus when coming back to the list. */
  returnTo = $state<string | null>(null);

  /** Called once the vault is open: load the list and settings, start the live codes. */
  async enter(): Promise<void> {
    this.unlocked = true;
    if (this.status) this.status = { ...this.status, exists: true, unlocked: true };
    await Promise.all([this.refreshAccounts(), this.loadSettings()]);
    codes.start();
  }

  async refreshAccounts(): Promise<void> {
    try {
      const list = await accountsList();
      if (!this.unlocked) return;
      this.accounts = list;
      this.accountsLoaded = true;
    } catch (e) {
      if (this.unlocked) toasts.error(errorMessage(e));
    }
  }

  async loadSettings(): Promise<void> {
    try {
      const s = await settingsGet();
      if (!this.unlocked) return;
      this.settings = s;
      applyTheme(s.theme);
    } catch (e) {
      if (this.unlocked) toasts.error(`Settings could not be loaded: ${errorMessage(e)}`);
    }
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
    codes.stop();
    printSheet.clear();
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
  }

  /** Lock on demand (button, Ctrl+L, idle). State is dropped even if the call fails. */
  async lock(): Promise<void> {
    try {
      await vaultLock();
    } catch {
      /* the backend may already be locked */
    } finally {
      this.clear();
    }
  }

  /** Test helper: back to a pristine state. */
  reset(): void {
    this.clear();
    this.status = null;
    this.sort = 'name';
    this.settings = { ...DEFAULT_SETTINGS };
  }
}

export const session = new Session();
