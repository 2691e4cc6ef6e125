// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import AccountsPage from '../components/AccountsPage.svelte';
import Toast from '../components/Toast.svelte';
import TrashPage from '../components/TrashPage.svelte';
import { session } from '../lib/session.svelte';
import { toasts } from '../lib/toast.svelte';
import { dialogNamed, renderDetails, toastTexts, unlockedFake } from './helpers';

const NOW = 1_700_000_020;

function trashWith(names: string[]) {
  const fake = unlockedFake(NOW);
  for (const [i, name] of names.entries()) {
    const acc = fake.addAccount({ name, username: `${name.toLowerCase()}-user` });
    fake.accounts = fake.accounts.filter((a) => a.id !== acc.id);
    fake.trash.push({ ...acc, deletedAt: NOW - 60 * (i + 1) });
  }
  return fake;
}

async function renderTrash() {
  render(Toast);
  render(TrashPage, { onback: () => {} });
  await screen.findByRole('heading', { level: 1, name: 'Trash' });
  return userEvent.setup();
}

describe('Trash screen', () => {
  test('empty: the 30-day rule and an empty state', async () => {
    unlockedFake(NOW);
    await renderTrash();
    expect(screen.getByText('Items in the Trash are deleted for good after 30 days.')).toBeInTheDocument();
    expect(await screen.findByTestId('trash-empty-state')).toHaveTextContent('The Trash is empty');
    expect(screen.queryByTestId('trash-empty')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveFocus();
  });

  test('restore puts the account back and moves focus to the next row', async () => {
    const fake = trashWith(['GitHub', 'Bank']);
    const user = await renderTrash();
    const rows = await screen.findAllByTestId('trash-row');
    expect(rows.map((r) => within(r).getByText(/GitHub|Bank/).textContent)).toEqual(['GitHub', 'Bank']);
    expect(screen.getByTestId('trash-summary')).toHaveTextContent('2 accounts in the Trash');
    expect(rows[0]).toHaveTextContent('deleted for good on');

    await user.click(screen.getByRole('button', { name: 'Restore GitHub' }));
    await waitFor(() => expect(screen.getAllByTestId('trash-row')).toHaveLength(1));
    expect(fake.callsOf('trash_restore')).toEqual([{ id: 'acc-1' }]);
    expect(fake.accounts.map((a) => a.name)).toEqual(['GitHub']);
    expect(session.accounts.map((a) => a.name)).toEqual(['GitHub']);
    expect(toastTexts()).toContain('Restored GitHub');
    expect(screen.getByRole('button', { name: 'Restore Bank' })).toHaveFocus();
    expect(screen.getByTestId('trash-summary')).toHaveTextContent('1 account in the Trash');
  });

  test('delete forever asks first; Cancel keeps it, confirming erases it', async () => {
    const fake = trashWith(['GitHub', 'Bank']);
    const user = await renderTrash();
    await user.click(await screen.findByRole('button', { name: 'Delete forever: GitHub' }));
    let dialog = dialogNamed('Delete GitHub forever?');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.trash).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Delete forever: GitHub' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Delete forever: GitHub' }));
    dialog = dialogNamed('Delete GitHub forever?');
    await user.click(within(dialog).getByTestId('trash-delete-confirm'));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsOf('trash_delete')).toEqual([{ id: 'acc-1' }]);
    expect(fake.trash.map((t) => t.name)).toEqual(['Bank']);
    expect(toastTexts()).toContain('Deleted GitHub forever');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Delete forever: Bank' })).toHaveFocus());
  });

  test('empty trash erases everything and focus goes to the heading', async () => {
    const fake = trashWith(['GitHub', 'Bank', 'Mail']);
    const user = await renderTrash();
    await user.click(await screen.findByTestId('trash-empty'));
    const dialog = dialogNamed('Empty the Trash?');
    expect(dialog).toHaveTextContent('3 accounts in the Trash will be erased');
    await user.click(within(dialog).getByTestId('trash-empty-confirm'));
    expect(await screen.findByTestId('trash-empty-state')).toBeInTheDocument();
    expect(fake.trash).toEqual([]);
    expect(toastTexts()).toContain('Deleted 3 accounts forever');
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Trash' })).toHaveFocus());
  });
});

describe('Remove and Undo', () => {
  test('removing says "Moved … to the Trash"; Undo restores it and focuses its card', async () => {
    const fake = unlockedFake(NOW);
    const acc = fake.addAccount({ name: 'GitHub', username: 'ada' });
    fake.addAccount({ name: 'Bank' });
    await session.refreshAccounts();
    const { user } = await renderDetails(fake, acc.id);
    await user.click(screen.getByTestId('account-remove'));
    const dialog = dialogNamed('Remove GitHub?');
    expect(dialog).toHaveTextContent('moves to the Trash');
    await user.click(within(dialog).getByTestId('account-remove-confirm'));
    await waitFor(() => expect(toastTexts().some((t) => t.startsWith('Moved GitHub to the Trash'))).toBe(true));
    expect(fake.trash.map((t) => t.name)).toEqual(['GitHub']);
    expect(session.view).toEqual({ name: 'accounts' });

    // The grid (as App shows it once the view is "accounts"), then Undo from the keyboard.
    render(AccountsPage);
    await waitFor(() => expect(screen.getAllByTestId('account-card')).toHaveLength(1));
    const region = screen.getByRole('status', { name: '' });
    expect(region).toHaveAttribute('aria-live', 'polite');
    const undo = within(region).getByRole('button', { name: 'Undo' });
    undo.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getAllByTestId('account-card')).toHaveLength(2));
    expect(fake.callsOf('trash_restore')).toEqual([{ id: acc.id }]);
    expect(fake.trash).toEqual([]);
    expect(toastTexts()).toContain('Restored GitHub');
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'GitHub: open details' })).toHaveFocus());
  });

  test('the Undo toast goes away after 10 s', async () => {
    let ran = 0;
    render(Toast);
    const id = toasts.show('Moved GitHub to the Trash', { action: { label: 'Undo', run: () => void (ran += 1) }, ms: 50 });
    expect(await screen.findByRole('button', { name: 'Undo' })).toBeInTheDocument();
    expect(toasts.items.find((t) => t.id === id)?.action?.label).toBe('Undo');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument());
    expect(ran).toBe(0);
  });
});

describe('Favourites', () => {
  test('the star pins the account first in the grid and keeps focus', async () => {
    const fake = unlockedFake(NOW);
    fake.addAccount({ name: 'Amazon' });
    fake.addAccount({ name: 'Zulip' });
    await session.refreshAccounts();
    render(Toast);
    render(AccountsPage);
    const user = userEvent.setup();
    const names = () => screen.getAllByTestId('card-open').map((b) => b.textContent);
    await waitFor(() => expect(names()).toEqual(['Amazon', 'Zulip']));
    const star = screen.getByRole('button', { name: 'Add Zulip to favourites' });
    expect(star).toHaveAttribute('aria-pressed', 'false');
    await user.click(star);
    await waitFor(() => expect(names()).toEqual(['Zulip', 'Amazon']));
    const pressed = screen.getByRole('button', { name: 'Remove Zulip from favourites' });
    expect(pressed).toHaveAttribute('aria-pressed', 'true');
    expect(pressed).toHaveFocus();
    expect(fake.callsOf('account_favourite')).toEqual([{ id: 'acc-2', on: true }]);
    expect(toastTexts()).toContain('Added Zulip to favourites');
    // Other sorts keep it first.
    session.sort = 'recent';
    await waitFor(() => expect(names()[0]).toBe('Zulip'));
  });

  test('the star on the details page', async () => {
    const fake = unlockedFake(NOW);
    const acc = fake.addAccount({ name: 'GitHub' });
    const { user } = await renderDetails(fake, acc.id);
    await user.click(screen.getByRole('button', { name: 'Add GitHub to favourites' }));
    const star = await screen.findByRole('button', { name: 'Remove GitHub from favourites' });
    expect(star).toHaveAttribute('aria-pressed', 'true');
    expect(fake.accounts[0].favourite).toBe(true);
  });
});
