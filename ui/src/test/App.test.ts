// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import App from '../App.svelte';
import { codes } from '../lib/codes.svelte';
import { session } from '../lib/session.svelte';
import { FakeBackend } from './fakeBackend';
import { emitVaultLocked, installFakeBackend } from './install';

async function startUnlocked() {
  const fake = installFakeBackend(new FakeBackend());
  fake.nowOverride = 1_700_000_020;
  fake.addAccount({
    name: 'GitHub',
    username: 'ada',
    otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' },
  });
  fake.addAccount({ name: 'Proton Mail', username: 'ada@proton.me' });
  const user = userEvent.setup();
  render(App);
  // The app always starts on the lock screen.
  const pw = await screen.findByTestId('lock-password');
  expect(screen.queryByTestId('account-card')).not.toBeInTheDocument();
  await user.type(pw, `${fake.masterPassword}{Enter}`);
  await screen.findAllByTestId('account-card');
  return { fake, user };
}

describe('App', () => {
  test('unlock shows the cards with live codes', async () => {
    const { fake } = await startUnlocked();
    const code = await screen.findByTestId('card-code');
    expect(code.textContent).toBe(fake.currentCode(fake.accounts[0].id).code);
    expect(fake.commands()).toEqual(expect.arrayContaining(['vault_status', 'vault_unlock', 'accounts_list', 'settings_get', 'codes_now']));
    expect(codes.running).toBe(true);
  });

  test('the accounts page appears once, its cards already showing their codes', async () => {
    const { fake } = await startUnlocked();
    // startUnlocked returned at the first card: by then the list and the codes were both in.
    expect(screen.getAllByTestId('account-card')).toHaveLength(2);
    expect(screen.getByTestId('card-code').textContent).toBe(fake.currentCode(fake.accounts[0].id).code);
    expect(screen.queryByLabelText('Code loading')).not.toBeInTheDocument();
  });

  test('a lock while the accounts are loading leaves the lock screen up', async () => {
    const fake = installFakeBackend(new FakeBackend());
    fake.addAccount({ name: 'GitHub', username: 'ada' });
    let release: () => void = () => {};
    let listing = false;
    const original = fake.handle.bind(fake);
    fake.handle = async (cmd: string, args: unknown) => {
      if (cmd === 'accounts_list') {
        listing = true;
        await new Promise<void>((r) => (release = r));
      }
      return original(cmd, args);
    };
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByTestId('lock-password'), `${fake.masterPassword}{Enter}`);
    await waitFor(() => expect(listing).toBe(true));
    await emitVaultLocked(fake);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('lock-password')).toBeInTheDocument();
    expect(screen.queryByTestId('account-card')).not.toBeInTheDocument();
    expect(session.accounts).toEqual([]);
  });

  test('the backend\'s vault-locked event drops all account data and shows the lock screen', async () => {
    const { fake } = await startUnlocked();
    await emitVaultLocked(fake);
    expect(await screen.findByTestId('lock-password')).toBeInTheDocument();
    expect(screen.queryByTestId('account-card')).not.toBeInTheDocument();
    expect(session.accounts).toEqual([]);
    expect(codes.byId).toEqual({});
    expect(codes.running).toBe(false);
    expect(screen.getByRole('heading', { name: 'Unlock Keydeck' })).toBeInTheDocument();
  });

  test('Ctrl+L locks through vault_lock', async () => {
    const { fake, user } = await startUnlocked();
    await user.keyboard('{Control>}l{/Control}');
    expect(await screen.findByTestId('lock-password')).toBeInTheDocument();
    expect(fake.commands()).toContain('vault_lock');
    expect(fake.unlocked).toBe(false);
    expect(session.accounts).toEqual([]);
  });

  test('the Lock button locks', async () => {
    const { fake, user } = await startUnlocked();
    await user.click(screen.getByTestId('lock-button'));
    expect(await screen.findByTestId('lock-password')).toBeInTheDocument();
    expect(fake.commands()).toContain('vault_lock');
  });

  test('a "locked" answer from any command also returns to the lock screen', async () => {
    const { fake } = await startUnlocked();
    fake.unlocked = false; // locked behind the UI's back, without the event
    await session.refreshAccounts();
    expect(await screen.findByTestId('lock-password')).toBeInTheDocument();
    expect(session.unlocked).toBe(false);
  });

  test('"/" and Ctrl+F focus the search box, also from another page', async () => {
    const { user } = await startUnlocked();
    const search = screen.getByTestId('accounts-search');
    // After unlock the search field already has focus.
    await waitFor(() => expect(search).toHaveFocus());
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('/');
    expect(search).toHaveFocus();
    expect((search as HTMLInputElement).value).toBe('');
    // Typing "/" inside the search box types it.
    await user.keyboard('/');
    expect((search as HTMLInputElement).value).toBe('/');

    await user.click(screen.getByTestId('settings-button'));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    await user.keyboard('{Control>}f{/Control}');
    await waitFor(() => expect(screen.getByTestId('accounts-search')).toHaveFocus());
  });

  test('search to code in two keys: type, Enter copies the top match', async () => {
    const { fake, user } = await startUnlocked();
    const search = screen.getByTestId('accounts-search');
    await waitFor(() => expect(search).toHaveFocus());
    await user.keyboard('git{Enter}');
    await waitFor(() => expect(fake.clipboard).toBe(fake.currentCode(fake.accounts[0].id).code));
    expect(await screen.findByText(/^Copied/)).toBeInTheDocument();
    // An account without MFA says so instead of copying.
    fake.clipboard = null;
    await user.clear(search);
    await user.keyboard('proton{Enter}');
    expect(await screen.findByText('Proton Mail has no MFA code yet.')).toBeInTheDocument();
    expect(fake.clipboard).toBeNull();
  });

  test('near the rollover the copy takes the next code and says so', async () => {
    const { fake, user } = await startUnlocked();
    fake.nowOverride = 1_700_000_037; // 3 s before the 30 s step ends
    await user.keyboard('git{Enter}');
    await waitFor(() => expect(fake.clipboard).toBe(fake.currentCode(fake.accounts[0].id).next));
    expect(await screen.findByText(/^Copied the next code \(the current one had 3 seconds left\)/)).toBeInTheDocument();
  });

  test('the grid is one Tab stop; arrows move between cards; Ctrl+C copies the focused card', async () => {
    const { fake, user } = await startUnlocked();
    const search = screen.getByTestId('accounts-search');
    await waitFor(() => expect(search).toHaveFocus());
    await user.keyboard('{ArrowDown}');
    const cards = screen.getAllByTestId('account-card');
    expect(cards[0]).toContainElement(document.activeElement as HTMLElement);
    expect(document.activeElement).toHaveAttribute('data-testid', 'card-code');
    await user.keyboard('{ArrowRight}');
    expect(cards[1]).toContainElement(document.activeElement as HTMLElement);
    // Only the active card's controls are Tab stops.
    expect(cards[0].querySelectorAll('button[tabindex="0"]')).toHaveLength(0);
    await user.keyboard('{ArrowLeft}');
    expect(cards[0]).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Control>}c{/Control}');
    await waitFor(() => expect(fake.clipboard).toBe(fake.currentCode(fake.accounts[0].id).code));
  });

  test('the page behind a dialog is inert until the dialog closes; focus returns to the opener', async () => {
    const { user } = await startUnlocked();
    const shell = document.querySelector('.app-shell') as HTMLElement;
    expect(shell).not.toHaveAttribute('inert');
    const opener = screen.getByTestId('add-account');
    await user.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Add account' });
    expect(shell).toHaveAttribute('inert');
    expect(shell).not.toContainElement(dialog);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(shell).not.toHaveAttribute('inert');
    expect(opener).toHaveFocus();
  });

  test('the lock screen follows the keychain setting at once; focus stays on the toggle', async () => {
    const { fake, user } = await startUnlocked();
    await user.click(screen.getByTestId('settings-button'));
    const toggle = await screen.findByTestId('keychain-toggle');
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    await user.type(await screen.findByTestId('reauth-password'), `${fake.masterPassword}{Enter}`);
    await waitFor(() => expect(toggle).toHaveTextContent('Turn off keychain unlock'));
    await waitFor(() => expect(toggle).toHaveFocus());
    await user.click(screen.getByTestId('lock-button'));
    expect(await screen.findByTestId('keychain-unlock')).toBeInTheDocument();
    // Off again (unlock, Settings, turn off, lock): the button is gone.
    await user.type(screen.getByTestId('lock-password'), `${fake.masterPassword}{Enter}`);
    await user.click(await screen.findByTestId('settings-button'));
    const again = await screen.findByTestId('keychain-toggle');
    await waitFor(() => expect(again).toHaveTextContent('Turn off keychain unlock'));
    await user.click(again);
    await waitFor(() => expect(again).toHaveTextContent('Turn on keychain unlock'));
    await user.click(screen.getByTestId('lock-button'));
    await screen.findByTestId('lock-password');
    await waitFor(() => expect(screen.queryByTestId('keychain-unlock')).not.toBeInTheDocument());
  });

  test('open details and come back: focus returns to the card', async () => {
    const { user } = await startUnlocked();
    await user.click(screen.getAllByTestId('card-open')[0]);
    const heading = await screen.findByRole('heading', { level: 1, name: 'GitHub' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByTestId('tab-general')).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByTestId('tab-activity'));
    expect(screen.getByTestId('tab-activity')).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('No activity recorded for this account yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Accounts/ }));
    await waitFor(() => expect(screen.getAllByTestId('card-open')[0]).toHaveFocus());
  });

  test('settings: auto-lock, clipboard and theme are saved; the theme applies at once', async () => {
    const { fake, user } = await startUnlocked();
    await user.click(screen.getByTestId('settings-button'));
    const autolock = await screen.findByTestId('settings-autolock');
    await user.clear(autolock);
    await user.type(autolock, '10');
    await user.tab();
    await waitFor(() => expect(fake.settings.autoLockMinutes).toBe(10));
    const clip = screen.getByTestId('settings-clipboard');
    await user.clear(clip);
    await user.type(clip, '45');
    await user.tab();
    await waitFor(() => expect(fake.settings.clipboardClearSeconds).toBe(45));
    await user.selectOptions(screen.getByTestId('settings-theme'), 'dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await waitFor(() => expect(fake.settings).toEqual({ autoLockMinutes: 10, clipboardClearSeconds: 45, theme: 'dark' }));
    await user.selectOptions(screen.getByTestId('settings-theme'), 'system');
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  test('Esc on the details page goes back to the list; Esc in a field does not', async () => {
    const { user } = await startUnlocked();
    await user.click(screen.getAllByTestId('card-open')[0]);
    await screen.findByRole('heading', { level: 1, name: 'GitHub' });
    screen.getByTestId('recovery-input').focus();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('heading', { level: 1, name: 'GitHub' })).toBeInTheDocument();
    screen.getByTestId('mfa-section-toggle').focus();
    await user.keyboard('{Escape}');
    expect(await screen.findAllByTestId('account-card')).toHaveLength(2);
    expect(session.view.name).toBe('accounts');
  });

  test('user activity is reported to the backend\'s auto-lock timer, throttled', async () => {
    const { fake, user } = await startUnlocked();
    const before = fake.activityCount;
    await user.pointer({ keys: '[MouseLeft]', target: document.body });
    await user.keyboard('a');
    await user.pointer({ keys: '[MouseLeft]', target: document.body });
    await waitFor(() => expect(fake.activityCount).toBe(before + 1));
    expect(fake.commands().filter((c) => c === 'activity').length).toBe(fake.activityCount);
  });

  test('a setting reset at start (out of range in settings.json) is said once, in a toast', async () => {
    const fake = installFakeBackend(new FakeBackend());
    const notice = 'Auto-lock was set to 0 minutes, outside 1 to 1440; it is back to 5 minutes.';
    fake.settingsNotice = notice;
    render(App);
    await screen.findByTestId('lock-password');
    expect(await screen.findByText(notice)).toBeInTheDocument();
    expect(fake.commands().filter((c) => c === 'settings_notice_take')).toHaveLength(1);
    expect(fake.settingsNotice).toBeNull();
  });

  test('the theme setting applies on the lock screen already', async () => {
    const fake = installFakeBackend(new FakeBackend());
    fake.settings = { ...fake.settings, theme: 'dark' };
    render(App);
    await screen.findByTestId('lock-password');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(fake.unlocked).toBe(false);
  });

  test('settings out of range are refused with a message', async () => {
    const { fake, user } = await startUnlocked();
    await user.click(screen.getByTestId('settings-button'));
    const clip = await screen.findByTestId('settings-clipboard');
    await user.clear(clip);
    await user.type(clip, '2');
    await user.tab();
    expect(await screen.findByRole('alert')).toHaveTextContent('Clipboard clearing must be between 5 and 600 seconds.');
    expect(fake.settings.clipboardClearSeconds).toBe(30);
  });

  test('settings: change the master password; a wrong current password is reported', async () => {
    const { fake, user } = await startUnlocked();
    await user.click(screen.getByTestId('settings-button'));
    await user.type(await screen.findByTestId('master-current'), 'not it');
    await user.type(screen.getByTestId('master-next'), 'a brand new passphrase 7');
    await user.type(screen.getByTestId('master-repeat'), 'a brand new passphrase 7');
    await user.click(screen.getByTestId('master-submit'));
    expect(await screen.findByText('Wrong password')).toBeInTheDocument();
    const current = screen.getByTestId('master-current');
    await user.clear(current);
    await user.type(current, fake.masterPassword + '{Enter}');
    await waitFor(() => expect(fake.masterPassword).toBe('a brand new passphrase 7'));
    expect(await screen.findByText('Master password changed')).toBeInTheDocument();
  });
});
