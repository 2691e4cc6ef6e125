// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import AccountCard from '../components/AccountCard.svelte';
import Toast from '../components/Toast.svelte';
import type { AccountCard as Card, CodeView } from '../lib/ipc';
import { session } from '../lib/session.svelte';
import { toastTexts, unlockedFake } from './helpers';

function card(partial: Partial<Card> = {}): Card {
  return {
    id: 'acc-1',
    name: 'GitHub',
    issuer: 'GitHub',
    username: 'ada@example.com',
    url: '',
    tags: [],
    icon: '',
    hasPassword: true,
    mfa: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: null },
    recoveryUnused: 8,
    recoveryUsed: 2,
    level: 3,
    levelMax: 5,
    updatedAt: 1_700_000_000,
    favourite: false,
    ...partial,
  };
}

const CODE: CodeView = { id: 'acc-1', code: '412490', remaining: 12, period: 30, next: '118052', counter: null };

function setup(account: Card, code: CodeView | null = CODE, remaining: number | null = 12) {
  // The backend's first account gets the id "acc-1", like card() above.
  const fake = unlockedFake();
  fake.addAccount({ name: account.name, otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' } });
  const onopen = vi.fn();
  const onsetup = vi.fn();
  render(Toast);
  const view = render(AccountCard, { account, code, remaining, onopen, onsetup });
  return { fake, onopen, onsetup, view, user: userEvent.setup() };
}

describe('AccountCard', () => {
  test('shows service, username, level and the code in digit groups with a countdown ring', () => {
    setup(card());
    const article = screen.getByTestId('account-card');
    expect(article).toHaveAttribute('data-account-id', 'acc-1');
    expect(article).toHaveAttribute('aria-label', 'GitHub, ada@example.com');
    expect(article).toHaveTextContent('ada@example.com');
    expect(screen.getByText(/Level 3\/5/)).toHaveAttribute('aria-label', 'Security level 3 of 5');

    const code = screen.getByTestId('card-code');
    expect(code.textContent).toBe('412490');
    expect(code.querySelectorAll('.group')).toHaveLength(2);
    expect(code).toHaveAttribute('aria-label', 'Copy code 4 1 2, 4 9 0');
    expect(screen.getByRole('timer')).toHaveAttribute('aria-label', '12 seconds left');
    // Not yet near rollover: the next code is not shown.
    expect(screen.queryByText('118 052')).not.toBeInTheDocument();
  });

  test('clicking the code copies through code_copy and shows the toast, without opening details', async () => {
    const { fake, onopen, user } = setup(card());
    await user.click(screen.getByTestId('card-code'));
    expect(fake.callsOf('code_copy')).toEqual([{ id: fake.accounts[0].id }]);
    expect(fake.clipboard).toBe(fake.currentCode(fake.accounts[0].id).code);
    expect(toastTexts()).toEqual(['Copied — clears in 30 s']);
    expect(onopen).not.toHaveBeenCalled();
  });

  test('Enter on the code copies too; the toast uses the clipboard setting', async () => {
    const { fake, user } = setup(card());
    session.settings = { ...session.settings, clipboardClearSeconds: 45 };
    screen.getByTestId('card-code').focus();
    await user.keyboard('{Enter}');
    expect(fake.callsOf('code_copy')).toHaveLength(1);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Copied — clears in 45 s');
  });

  test('a failed copy says why', async () => {
    const { user } = setup(card({ id: 'missing' }));
    await user.click(screen.getByTestId('card-code'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('no account with id missing');
  });

  test('the card body opens the details (click or keyboard)', async () => {
    const { onopen, user } = setup(card());
    await user.click(screen.getByTestId('card-open'));
    expect(onopen).toHaveBeenCalledWith('acc-1');
    screen.getByTestId('card-open').focus();
    await user.keyboard('{Enter}');
    expect(onopen).toHaveBeenCalledTimes(2);
  });

  test('near rollover the next code is shown', () => {
    setup(card(), { ...CODE, remaining: 5 }, 5);
    expect(screen.getByText('118 052')).toHaveAttribute('aria-label', '1 1 8, 0 5 2');
    expect(screen.getByRole('timer')).toHaveAttribute('aria-label', '5 seconds left');
  });

  test('accounts without MFA offer "Set up MFA" instead of a code', async () => {
    const account = card({ mfa: null });
    const { onsetup, user } = setup(account, null, null);
    expect(screen.queryByTestId('card-code')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Set up MFA/ }));
    expect(onsetup).toHaveBeenCalledWith(expect.objectContaining({ id: 'acc-1' }));
  });

  test('HOTP cards generate a code on demand with hotp_next', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({
      name: 'VPN',
      otp: { kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 4, secret: 'JBSWY3DPEHPK3PXP' },
    });
    render(AccountCard, {
      account: card({ id: acc.id, name: 'VPN', mfa: { kind: 'hotp', algorithm: 'SHA1', digits: 6, period: null, counter: 4 } }),
      onopen: vi.fn(),
      onsetup: vi.fn(),
    });
    const user = userEvent.setup();
    expect(screen.queryByTestId('card-code')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Generate code/ }));
    const code = await screen.findByTestId('card-code');
    expect(fake.callsOf('hotp_next')).toEqual([{ id: acc.id }]);
    expect(code.textContent).toBe(fake.currentCode(acc.id).code);
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
  });

  test('Steam codes are shown as they are', () => {
    setup(card({ mfa: { kind: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: null } }), {
      ...CODE,
      code: '2B4X9',
      next: 'KM7QR',
    });
    const code = screen.getByTestId('card-code');
    expect(code.textContent).toBe('2B4X9');
    expect(code).toHaveAttribute('aria-label', 'Copy code 2 B 4 X 9');
  });
});

