// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import AccountsPage from '../components/AccountsPage.svelte';
import Toast from '../components/Toast.svelte';
import { session } from '../lib/session.svelte';
import { dialogNamed, toastTexts, unlockedFake } from './helpers';
import type { FakeBackend } from './fakeBackend';

async function renderPage() {
  await session.refreshAccounts();
  render(Toast);
  render(AccountsPage);
  return userEvent.setup();
}

function cardNames(): string[] {
  return screen.getAllByTestId('card-open').map((b) => b.textContent ?? '');
}

function seed(fake: FakeBackend) {
  fake.addAccount({ name: 'GitHub', username: 'ada@example.com', tags: ['work', 'dev'], updatedAt: 300 });
  fake.addAccount({ name: 'Proton Mail', username: 'ada@proton.me', tags: ['personal'], updatedAt: 500, password: 'a-long-unique-password-1' });
  fake.addAccount({
    name: 'Gitea',
    issuer: 'Codeberg',
    username: 'ada',
    tags: ['Dev'],
    updatedAt: 100,
    password: 'another-long-password-2',
    otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' },
  });
}

describe('AccountsPage', () => {
  test('Add account in one step: an otpauth:// link fills name and username, the account comes with MFA on', async () => {
    const fake = unlockedFake();
    const user = await renderPage();
    await user.click(screen.getAllByRole('button', { name: /Add account/ })[0]);
    const dialog = dialogNamed('Add account');
    // The name error goes away as soon as a name is typed.
    await user.click(screen.getByTestId('add-submit'));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Give the account a name');
    await user.type(screen.getByTestId('add-name'), 'x');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await user.clear(screen.getByTestId('add-name'));

    await user.click(screen.getByTestId('add-otp-key'));
    const field = screen.getByTestId('add-secret');
    await user.click(field);
    await user.paste('otpauth://totp/Example:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example');
    expect(screen.getByTestId('add-name')).toHaveValue('Example');
    expect(screen.getByTestId('add-username')).toHaveValue('ada@example.com');
    await user.click(screen.getByTestId('add-submit'));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.commands()).not.toContain('account_add');
    expect(fake.accounts[0]).toMatchObject({ name: 'Example', username: 'ada@example.com' });
    expect(fake.accounts[0].otp?.secret).toBe('JBSWY3DPEHPK3PXP');
  });

  test('Add account in one step: a bad key adds nothing and is explained under the field', async () => {
    const fake = unlockedFake();
    const user = await renderPage();
    await user.click(screen.getAllByRole('button', { name: /Add account/ })[0]);
    await user.type(screen.getByTestId('add-name'), 'Bank');
    await user.click(screen.getByTestId('add-otp-key'));
    await user.type(screen.getByTestId('add-secret'), 'not a key 1!');
    await user.click(screen.getByTestId('add-submit'));
    expect(await screen.findByText(/base32|valid|secret/i, { selector: '#add-secret-error' })).toBeInTheDocument();
    expect(screen.getByTestId('add-secret')).toHaveFocus();
    expect(fake.accounts).toHaveLength(0);
  });

  test('empty vault: an empty state explains the first step and opens Add account', async () => {
    const fake = unlockedFake();
    const user = await renderPage();
    const empty = screen.getByTestId('empty-state');
    expect(empty).toHaveTextContent('Add your first account');
    expect(empty).toHaveTextContent(/a name is enough/);
    expect(screen.queryAllByTestId('account-card')).toHaveLength(0);

    const addButton = within(empty).getByRole('button', { name: /Add account/ });
    await user.click(addButton);
    const dialog = dialogNamed('Add account');
    expect(screen.getByTestId('add-name')).toHaveFocus();

    // Name is required.
    await user.click(screen.getByTestId('add-submit'));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Give the account a name');
    expect(fake.commands()).not.toContain('account_add');

    await user.type(screen.getByTestId('add-name'), 'GitHub');
    await user.type(screen.getByTestId('add-issuer'), 'GitHub, Inc.');
    await user.type(screen.getByTestId('add-username'), 'ada@example.com');
    await user.type(screen.getByTestId('add-url'), 'https://github.com/login');
    await user.type(screen.getByTestId('add-tags'), 'work, dev,, Work');
    await user.type(screen.getByTestId('add-notes'), 'Personal account');
    await user.click(within(dialog).getByLabelText('Type it'));
    await user.type(screen.getByTestId('add-password'), 'x8#Lq2!vR9sT@4mZ');
    await user.click(screen.getByTestId('add-submit'));

    const card = await screen.findByTestId('account-card');
    expect(card).toHaveAttribute('aria-label', 'GitHub, ada@example.com');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.queryByTestId('empty-state')).not.toBeInTheDocument();
    const [input] = fake.callsOf('account_add');
    expect(input).toEqual({
      input: {
        name: 'GitHub',
        issuer: 'GitHub, Inc.',
        username: 'ada@example.com',
        url: 'https://github.com/login',
        notes: 'Personal account',
        tags: ['work', 'dev'],
      },
    });
    expect(fake.callsOf('password_set')).toEqual([{ id: fake.accounts[0].id, password: 'x8#Lq2!vR9sT@4mZ' }]);
    expect(toastTexts()).toContain('Added GitHub');
    expect(screen.getByTestId('card-open')).toHaveFocus();
  });

  test('Add account can generate the password in Rust', async () => {
    const fake = unlockedFake();
    const user = await renderPage();
    await user.click(screen.getByTestId('add-account'));
    await user.type(screen.getByTestId('add-name'), 'Hetzner');
    await user.click(screen.getByLabelText('Generate one'));
    const length = screen.getByLabelText('Length', { selector: 'input[type="number"]' });
    await user.clear(length);
    await user.type(length, '32');
    await user.click(screen.getByLabelText('Symbols (!@#…)'));
    await user.click(screen.getByTestId('add-submit'));
    await screen.findByTestId('account-card');
    expect(fake.callsOf('password_generate_and_set')).toEqual([
      {
        id: fake.accounts[0].id,
        options: { length: 32, lowercase: true, uppercase: true, digits: true, symbols: false, avoidAmbiguous: false },
      },
    ]);
  });

  test('search filters by name, username and tag; no match offers to clear', async () => {
    const fake = unlockedFake();
    seed(fake);
    const user = await renderPage();
    expect(cardNames()).toEqual(['Gitea', 'GitHub', 'Proton Mail']);
    expect(screen.getByText('3 accounts')).toBeInTheDocument();

    const search = screen.getByTestId('accounts-search');
    await user.type(search, 'git');
    expect(cardNames()).toEqual(['Gitea', 'GitHub']);
    expect(screen.getByText('2 of 3 accounts')).toBeInTheDocument();

    await user.clear(search);
    await user.type(search, 'proton.me');
    expect(cardNames()).toEqual(['Proton Mail']);

    await user.clear(search);
    await user.type(search, 'codeberg ada');
    expect(cardNames()).toEqual(['Gitea']);

    await user.clear(search);
    await user.type(search, 'nothing like this');
    expect(screen.queryAllByTestId('account-card')).toHaveLength(0);
    expect(screen.queryByTestId('empty-state')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(cardNames()).toHaveLength(3);
    expect(search).toHaveFocus();
  });

  test('tag filter and sort', async () => {
    const fake = unlockedFake();
    seed(fake);
    const user = await renderPage();
    const tag = screen.getByLabelText('Filter by tag');
    expect(within(tag).getAllByRole('option').map((o) => o.textContent)).toEqual(['All tags', 'dev', 'personal', 'work']);
    await user.selectOptions(tag, 'dev');
    expect(cardNames()).toEqual(['Gitea', 'GitHub']); // tags match case-insensitively
    await user.selectOptions(tag, '');

    const sort = screen.getByLabelText('Sort accounts');
    await user.selectOptions(sort, 'recent');
    expect(cardNames()).toEqual(['Proton Mail', 'GitHub', 'Gitea']);
    await user.selectOptions(sort, 'level');
    expect(cardNames()[0]).toBe('Gitea');
  });

  test('"Set up MFA" on a card opens Save Code; Done shows the success message', async () => {
    const fake = unlockedFake();
    fake.addAccount({ name: 'GitHub', username: 'ada' });
    const user = await renderPage();
    await user.click(screen.getByRole('button', { name: /Set up MFA/ }));
    dialogNamed('Save code');
    await user.type(screen.getByTestId('secret-key'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP{Enter}');
    await user.click(await screen.findByTestId('done'));
    expect(await screen.findByTestId('success-message')).toHaveTextContent('MFA is on for GitHub');
    await waitFor(() => expect(screen.queryByRole('button', { name: /Set up MFA/ })).not.toBeInTheDocument());
    expect(screen.getByTestId('card-open')).toHaveFocus();
  });

  test('clicking a card opens its details', async () => {
    const fake = unlockedFake();
    seed(fake);
    const user = await renderPage();
    await user.click(screen.getAllByTestId('card-open')[1]);
    expect(session.view).toEqual({ name: 'details', id: fake.accounts[0].id, tab: 'general' });
  });

  test('the list view: toggled next to sort, remembered in localStorage, one row per account', async () => {
    const fake = unlockedFake();
    seed(fake);
    const user = await renderPage();
    const cards = screen.getByTestId('view-cards');
    const list = screen.getByTestId('view-list');
    expect(cards).toHaveAttribute('aria-pressed', 'true');
    expect(list).toHaveAccessibleName('List');
    await user.click(list);
    expect(list).toHaveAttribute('aria-pressed', 'true');
    expect(cards).toHaveAttribute('aria-pressed', 'false');
    expect(localStorage.getItem('keydeck.view')).toBe('list');
    expect(screen.getByRole('list', { name: 'Accounts' })).toHaveClass('list');
    for (const card of screen.getAllByTestId('account-card')) expect(card).toHaveClass('compact');
    // Same names, same order, same open buttons as the cards.
    expect(cardNames()).toEqual(['Gitea', 'GitHub', 'Proton Mail']);
    await user.click(cards);
    expect(localStorage.getItem('keydeck.view')).toBe('cards');
    expect(screen.getAllByTestId('account-card')[0]).not.toHaveClass('compact');
  });

  test('the list view is used again on the next visit', async () => {
    const fake = unlockedFake();
    seed(fake);
    localStorage.setItem('keydeck.view', 'list');
    await renderPage();
    expect(screen.getByTestId('view-list')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getAllByTestId('account-card')[0]).toHaveClass('compact');
  });
});
