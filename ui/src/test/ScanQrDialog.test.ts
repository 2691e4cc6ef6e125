// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import AccountsPage from '../components/AccountsPage.svelte';
import { session } from '../lib/session.svelte';
import { dialogNamed, unlockedFake } from './helpers';

describe('Scan QR from the accounts page', () => {
  test('scan the screen, pick one of several, and it becomes an account with MFA on', async () => {
    const fake = unlockedFake();
    await session.refreshAccounts();
    render(AccountsPage);
    const user = userEvent.setup();
    fake.queueScan('screen', [
      { name: 'ACME:ada', issuer: 'ACME', account: 'ada@acme.test', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
      { name: 'Example:ada', issuer: 'Example', account: 'ada', secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' },
    ]);
    const opener = screen.getByTestId('scan-qr');
    await user.click(opener);
    const dialog = dialogNamed('Scan QR code');
    await user.click(within(dialog).getByTestId('scan-screen'));
    const group = await within(dialog).findByRole('group', { name: /Found 2 authenticator codes/ });
    await user.click(within(group).getByLabelText(/Example/));
    await user.click(within(dialog).getByTestId('scan-add'));

    expect(await screen.findByTestId('success-message')).toHaveTextContent('MFA is on for Example');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The account and its authenticator in one call (one transaction in Rust).
    expect(fake.callsOf('account_add_with_otp')).toEqual([
      { input: { name: 'Example', issuer: 'Example', username: 'ada', url: '', notes: '', tags: [] }, scanIndex: 1 },
    ]);
    expect(fake.callsOf('account_add')).toEqual([]);
    expect(fake.accounts[0].otp?.secret).toBe('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU');
    await waitFor(() => expect(screen.getAllByTestId('account-card')).toHaveLength(1));
    expect(opener).toHaveFocus();
  });

  test('a QR code that is not an authenticator is explained', async () => {
    const fake = unlockedFake();
    await session.refreshAccounts();
    render(AccountsPage);
    const user = userEvent.setup();
    fake.scans.push({ source: 'clipboard', found: [], other: ['https://example.com', 'WIFI:S:home;;'], problems: [] });
    await user.click(screen.getByTestId('scan-qr'));
    await user.click(screen.getByTestId('scan-clipboard'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Found 2 QR codes, but none is an authenticator setup code.');
    expect(screen.queryByTestId('scan-add')).not.toBeInTheDocument();
    expect(fake.commands()).not.toContain('account_add');
  });
});
