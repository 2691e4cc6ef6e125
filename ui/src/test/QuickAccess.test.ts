// SPDX-License-Identifier: GPL-3.0-or-later
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import QuickAccess from '../quick/QuickAccess.svelte';
import { quickMatches } from '../quick/match';
import type { AccountCard } from '../lib/ipc';
import { FakeBackend, type FakeOtp } from './fakeBackend';

const TOTP: FakeOtp = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' };

/** The fake backend, plus the two commands only the quick window has (Rust hides/shows windows). */
function setup(unlocked = true) {
  const fake = new FakeBackend();
  fake.unlocked = unlocked;
  fake.nowOverride = 1_700_000_010;
  fake.addAccount({ name: 'GitHub', username: 'octo@example.com', otp: { ...TOTP } });
  fake.addAccount({ name: 'Mail', issuer: 'Proton', username: 'me@example.com', otp: { ...TOTP, secret: 'GEZDGNBVGY3TQOJQ' } });
  fake.addAccount({ name: 'Bank', username: 'me', otp: null });
  fake.addAccount({ name: 'Gitea', otp: { ...TOTP, kind: 'hotp' } });
  const hidden: string[] = [];
  mockIPC(
    (cmd, args) => {
      if (cmd === 'quick_hide' || cmd === 'main_show') {
        hidden.push(cmd);
        return null;
      }
      return fake.handle(cmd, args);
    },
    { shouldMockEvents: true },
  );
  render(QuickAccess);
  return { fake, hidden, user: userEvent.setup() };
}

function names(): string[] {
  return screen.queryAllByTestId('quick-item').map((li) => li.querySelector('.name')!.textContent!);
}

describe('Quick access window', () => {
  // jsdom does no layout: keeping the selected row in view is a no-op here.
  beforeEach(() => {
    Element.prototype.scrollIntoView = vi.fn();
  });

  test('the search field has focus; only accounts with a code to copy are listed, with it', async () => {
    setup();
    const search = await screen.findByRole('combobox', { name: 'Search accounts' });
    await waitFor(() => expect(search).toHaveFocus());
    await waitFor(() => expect(names()).toEqual(['GitHub', 'Mail']));
    await waitFor(() => expect(screen.getAllByTestId('quick-code')[0].textContent).toMatch(/^\d{6}$/));
    expect(screen.getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
    expect(search).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[0].id);
  });

  test('typing filters, Enter copies the top match in Rust and hides the window', async () => {
    const { fake, hidden, user } = setup();
    const search = await screen.findByRole('combobox', { name: 'Search accounts' });
    await waitFor(() => expect(names()).toHaveLength(2));
    await user.type(search, 'prot');
    await waitFor(() => expect(names()).toEqual(['Mail']));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(hidden).toEqual(['quick_hide']));
    expect(fake.callsOf('code_copy')).toEqual([{ id: fake.accounts[1].id }]);
    expect(fake.clipboard).toMatch(/^\d{6}$/);
  });

  test('arrows move the selection and Enter copies the selected one', async () => {
    const { fake, user } = setup();
    const search = await screen.findByRole('combobox', { name: 'Search accounts' });
    await waitFor(() => expect(names()).toHaveLength(2));
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    expect(search).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[1].id);
    await user.keyboard('{ArrowDown}'); // wraps around
    expect(screen.getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}{Enter}');
    await waitFor(() => expect(fake.callsOf('code_copy')).toEqual([{ id: fake.accounts[1].id }]));
  });

  test('Esc hides without copying; nothing matching says so', async () => {
    const { fake, hidden, user } = setup();
    const search = await screen.findByRole('combobox', { name: 'Search accounts' });
    await user.type(search, 'zzz');
    expect(await screen.findByTestId('quick-empty')).toHaveTextContent('No account with a code matches “zzz”.');
    await user.keyboard('{Enter}');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(hidden).toEqual(['quick_hide']));
    expect(fake.callsOf('code_copy')).toEqual([]);
  });

  test('locked: says so and offers the main window; nothing of the vault is asked for', async () => {
    const { fake, hidden, user } = setup(false);
    expect(await screen.findByText('Keydeck is locked')).toBeInTheDocument();
    const open = screen.getByRole('button', { name: 'Open Keydeck to unlock' });
    await waitFor(() => expect(open).toHaveFocus());
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(fake.commands()).not.toContain('accounts_list');
    await user.click(open);
    expect(hidden).toEqual(['main_show']);
  });

  test('a lock while open empties the list; the next showing finds the vault unlocked again', async () => {
    const { fake } = setup();
    await waitFor(() => expect(names()).toHaveLength(2));
    fake.unlocked = false;
    await emit('vault-locked');
    expect(await screen.findByTestId('quick-locked')).toBeInTheDocument();
    expect(names()).toEqual([]);
    fake.unlocked = true;
    await emit('quick-shown');
    await waitFor(() => expect(names()).toEqual(['GitHub', 'Mail']));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Search accounts' })).toHaveFocus());
  });
});

describe('quickMatches', () => {
  const card = (name: string, issuer = '', kind: 'totp' | 'hotp' | null = 'totp'): AccountCard => ({
      id: name,
      name,
      issuer,
      username: '',
      url: '',
      tags: [],
      icon: '',
      hasPassword: false,
      mfa: kind ? { kind, algorithm: 'SHA1', digits: 6, period: 30, counter: null } : null,
      recoveryUnused: 0,
      recoveryUsed: 0,
      level: 0,
      levelMax: 5,
      updatedAt: 0,
      favourite: false,
  });

  test('names that start with the search come first, then other matches in name order', () => {
    const list = [card('Mailbox'), card('Gmail', 'Google'), card('Mail'), card('Amazon')];
    expect(quickMatches(list, 'mail').map((a) => a.id)).toEqual(['Mail', 'Mailbox', 'Gmail']);
    expect(quickMatches(list, 'goo').map((a) => a.id)).toEqual(['Gmail']);
  });

  test('accounts without a copyable code are left out', () => {
    const list = [card('A'), card('B', '', null), card('C', '', 'hotp')];
    expect(quickMatches(list, '').map((a) => a.id)).toEqual(['A']);
  });
});
