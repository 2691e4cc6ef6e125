// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
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
    // The level is plain text a screen reader reads as shown (no aria-label on a span).
    const level = screen.getByTestId('card-level');
    expect(level).toHaveTextContent('Level 3 of 5');
    expect(level).not.toHaveAttribute('aria-label');
    expect(level).toHaveClass('mid');

    const code = screen.getByTestId('card-code');
    expect(code.textContent).toBe('412490');
    expect(code.querySelectorAll('.group')).toHaveLength(2);
    expect(code).toHaveAttribute('aria-label', 'Copy code 412490');
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

  test('the card shows its own countdown unless the grid\'s shared one covers it', () => {
    // The next code is not previewed on cards: one repaint per card per period is the idle budget.
    const { view } = setup(card(), { ...CODE, remaining: 5 }, 5);
    expect(screen.queryByText('118 052')).not.toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveAttribute('aria-label', '5 seconds left');
    view.unmount();
    render(AccountCard, { account: card(), code: { ...CODE, remaining: 5 }, remaining: 5, ring: false, onopen: vi.fn(), onsetup: vi.fn() });
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
    expect(screen.getByTestId('card-code')).toBeInTheDocument();
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
    expect(code).toHaveAttribute('aria-label', 'Copy code 2B4X9');
  });
});


describe('AccountCard badges, icons and the compact row', () => {
  test('tag chips: three, then "+2" (read as "2 more tags")', () => {
    setup(card({ tags: ['work', 'dev', 'email', 'old', 'shared'] }));
    const list = screen.getByRole('list', { name: 'Tags' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.trim())).toEqual(['work', 'dev', 'email', '+22 more tags']);
    expect(items[3]).toHaveAttribute('title', 'old, shared');
    expect(within(items[3]).getByText('2 more tags')).toHaveClass('sr-only');
  });

  test('no tags, no tag list; one extra tag says "1 more tag"', () => {
    const { view } = setup(card({ tags: [] }));
    expect(screen.queryByRole('list', { name: 'Tags' })).not.toBeInTheDocument();
    view.unmount();
    setup(card({ tags: ['a', 'b', 'c', 'd'] }));
    expect(screen.getByText('1 more tag')).toBeInTheDocument();
  });

  test.each([
    [1, 'low'],
    [2, 'low'],
    [3, 'mid'],
    [4, 'high'],
    [5, 'high'],
  ])('level %i of 5 is coloured %s', (level, tier) => {
    setup(card({ level }));
    const badge = screen.getByTestId('card-level');
    expect(badge).toHaveTextContent(`Level ${level} of 5`);
    expect(badge).toHaveClass(tier);
  });

  test.each([
    [0, null],
    [1, '1 recovery code left'],
    [2, '2 recovery codes left'],
    [3, null],
  ])('%i unused recovery codes: %s', (unused, text) => {
    setup(card({ recoveryUnused: unused }));
    const badge = screen.queryByTestId('card-recovery-left');
    if (text === null) expect(badge).not.toBeInTheDocument();
    else expect(badge).toHaveTextContent(text);
  });

  test('a known issuer shows its brand icon, others their initials; both hidden from screen readers', async () => {
    const { view } = setup(card());
    const brand = await waitFor(() => {
      const el = screen.getByTestId('account-card').querySelector('[data-brand]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(brand).toHaveAttribute('data-brand', 'github');
    expect(brand).toHaveAttribute('aria-hidden', 'true');
    expect(brand.querySelectorAll('svg path')).toHaveLength(2);
    view.unmount();

    setup(card({ name: 'Unknown Corp', issuer: '', username: '' }));
    const pic = screen.getByTestId('account-card').querySelector('[data-initials]')!;
    expect(pic).toHaveAttribute('data-initials', 'UC');
    expect(pic).toHaveAttribute('aria-hidden', 'true');
    expect(pic.querySelector('[data-brand]')).toBeNull();
  });

  test('a cut-off name gets a tooltip with the full name; a short one none', async () => {
    const long = 'A very long account name that does not fit on the card at all';
    const { user } = setup(card({ name: long }));
    const open = screen.getByTestId('card-open');
    Object.defineProperty(open, 'scrollWidth', { configurable: true, value: 400 });
    Object.defineProperty(open, 'clientWidth', { configurable: true, value: 200 });
    await user.hover(open);
    expect(open).toHaveAttribute('title', long);
    Object.defineProperty(open, 'scrollWidth', { configurable: true, value: 200 });
    await user.unhover(open);
    await user.hover(open);
    expect(open).not.toHaveAttribute('title');
  });

  test('compact: one row with name, username and code; no tags or badges; the code still copies', async () => {
    const fake = unlockedFake();
    fake.addAccount({ name: 'GitHub', otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' } });
    render(Toast);
    render(AccountCard, {
      account: card({ tags: ['work'], recoveryUnused: 1 }),
      code: CODE,
      remaining: 12,
      compact: true,
      onopen: vi.fn(),
      onsetup: vi.fn(),
    });
    const article = screen.getByTestId('account-card');
    expect(article).toHaveClass('compact');
    expect(article).toHaveTextContent('GitHub');
    expect(article).toHaveTextContent('ada@example.com');
    expect(screen.queryByRole('list', { name: 'Tags' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('card-level')).not.toBeInTheDocument();
    expect(screen.queryByTestId('card-recovery-left')).not.toBeInTheDocument();
    expect(screen.getByRole('timer')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByTestId('card-code'));
    expect(fake.callsOf('code_copy')).toHaveLength(1);
  });
});
