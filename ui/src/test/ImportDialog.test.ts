// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import AccountsPage from '../components/AccountsPage.svelte';
import SettingsPage from '../components/SettingsPage.svelte';
import Toast from '../components/Toast.svelte';
import { session } from '../lib/session.svelte';
import type { FakeBackend } from './fakeBackend';
import { dialogNamed, toastTexts, unlockedFake } from './helpers';

const AEGIS = '/home/ada/Downloads/aegis-backup.json';
const TOTP = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' } as const;

function seedAegis(fake: FakeBackend) {
  fake.addAccount({ name: 'GitHub', issuer: 'GitHub', username: 'ada' });
  fake.importFiles[AEGIS] = {
    format: 'aegis',
    description: 'Aegis backup, encrypted',
    password: 'test',
    accounts: [
      { name: 'Mastodon', issuer: 'Mastodon', username: 'ada@mastodon.social', otp: { ...TOTP } },
      { name: 'Steam', username: 'ada_plays', otp: { ...TOTP, kind: 'steam', digits: 5 } },
      { name: 'GitHub', issuer: 'GitHub', username: 'ada', otp: { ...TOTP } },
    ],
    problems: ['entry 4 (Yandex / ada): Yandex codes are not supported'],
    warnings: ['Steam (Steam): the key is shorter than 128 bits'],
  };
  fake.picks = [AEGIS];
}

async function openFromSettings() {
  await session.refreshAccounts();
  render(Toast);
  render(SettingsPage, { onback: () => {} });
  const user = userEvent.setup();
  const start = screen.getByRole('button', { name: 'Import from another app…' });
  await user.click(start);
  const dialog = dialogNamed('Import from another app');
  return { user, start, dialog };
}

describe('ImportDialog', () => {
  test('encrypted file: says what it is, a wrong password keeps the prompt, then preview and import', async () => {
    const fake = unlockedFake();
    seedAegis(fake);
    const { user, start, dialog } = await openFromSettings();

    const choose = within(dialog).getByTestId('import-choose');
    expect(choose).toHaveFocus();
    await user.click(choose);

    // The file is recognised from its content: the title says what it is; its password is asked.
    await screen.findByRole('dialog', { name: 'Aegis backup, encrypted' });
    // Rust opens the file dialog and keeps the path: the page sends none.
    expect(fake.callsOf('import_choose')).toEqual([{}]);
    expect(fake.callsOf('import_inspect')).toEqual([{}]);
    const pw = screen.getByLabelText('Password of this file');
    await waitFor(() => expect(pw).toHaveFocus());
    expect(screen.getByTestId('import-file')).toHaveTextContent('aegis-backup.json');
    expect(screen.queryByTestId('import-keyfile')).not.toBeInTheDocument();

    // Nothing typed: no call to Rust.
    await user.click(screen.getByRole('button', { name: 'Read file' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the password of this file.');
    expect(fake.commands()).not.toContain('import_preview');

    // Wrong password: inline error, the prompt stays with focus.
    await user.type(pw, 'wrong{Enter}');
    const err = await screen.findByTestId('import-password-error');
    expect(err).toHaveAttribute('role', 'alert');
    expect(err).toHaveTextContent('Wrong password');
    expect(pw).toHaveFocus();
    expect(pw).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('import-preview')).not.toBeInTheDocument();
    expect(fake.callsOf('import_preview')).toEqual([{ filePassword: 'wrong', keyfile: false }]);

    // Right password: the preview, nothing changed yet.
    await user.clear(pw);
    await user.type(pw, 'test{Enter}');
    const preview = await screen.findByTestId('import-preview');
    expect(fake.callsOf('import_preview')[1]).toEqual({ filePassword: 'test', keyfile: false });
    expect(screen.queryByLabelText('Password of this file')).not.toBeInTheDocument();
    expect(screen.getByTestId('import-summary')).toHaveTextContent('2 accounts to add, 1 already in the vault, 1 problem. Nothing has changed yet.');
    expect(screen.getByTestId('import-summary')).toHaveFocus();
    const toAdd = within(screen.getByTestId('import-to-add')).getAllByRole('listitem');
    expect(toAdd.map((li) => li.textContent)).toEqual([
      expect.stringContaining('Mastodon'),
      expect.stringContaining('Steam'),
    ]);
    expect(toAdd[0]).toHaveTextContent('ada@mastodon.social · TOTP');
    expect(toAdd[1]).toHaveTextContent('Steam Guard');
    expect(within(screen.getByTestId('import-duplicates')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'GitHub',
    ]);
    expect(screen.getByTestId('import-problems')).toHaveTextContent('1 entry cannot be imported and will be skipped');
    expect(screen.getByTestId('import-problems')).toHaveTextContent('entry 4 (Yandex / ada): Yandex codes are not supported');
    expect(screen.getByTestId('import-warnings')).toHaveTextContent('the key is shorter than 128 bits');
    expect(fake.accounts).toHaveLength(1);
    // The problems are listed above the button that skips them.
    const confirm = within(preview).getByRole('button', { name: 'Import 2 accounts, skip 1' });
    expect(screen.getByTestId('import-problems').compareDocumentPosition(confirm) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    await user.click(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsOf('import_confirm')).toEqual([{}]);
    expect(fake.accounts.map((a) => a.name)).toEqual(['GitHub', 'Mastodon', 'Steam']);
    expect(session.accounts.map((a) => a.name)).toEqual(['GitHub', 'Mastodon', 'Steam']);
    expect(toastTexts()).toEqual(['Imported 2 accounts from aegis-backup.json (Aegis backup, encrypted)']);
    expect(fake.commands()).not.toContain('import_cancel');
    expect(start).toHaveFocus();
  });

  test('a file Keydeck does not read says what it reads; nothing is previewed', async () => {
    const fake = unlockedFake();
    fake.picks = ['/home/ada/notes.odt'];
    const { user, dialog } = await openFromSettings();
    await user.click(within(dialog).getByTestId('import-choose'));
    const err = await screen.findByTestId('import-error');
    expect(err).toHaveAttribute('role', 'alert');
    expect(err).toHaveTextContent('Keydeck does not recognise this file. It reads: Aegis, 2FAS');
    expect(screen.getByRole('dialog', { name: 'Import from another app' })).toBeInTheDocument();
    expect(within(dialog).getByTestId('import-choose')).toHaveFocus();
    expect(fake.commands()).not.toContain('import_preview');
  });

  test('cancelling the picker changes nothing; Cancel after a preview forgets the file and adds nothing', async () => {
    const fake = unlockedFake();
    seedAegis(fake);
    fake.picks = [null, AEGIS];
    const { user, start, dialog } = await openFromSettings();
    await user.click(within(dialog).getByTestId('import-choose'));
    expect(fake.commands()).not.toContain('import_inspect');
    expect(screen.getByRole('dialog', { name: 'Import from another app' })).toBeInTheDocument();

    await user.click(within(dialog).getByTestId('import-choose'));
    await user.type(await screen.findByLabelText('Password of this file'), 'test{Enter}');
    await screen.findByTestId('import-preview');
    expect(fake.pendingImport).not.toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(fake.commands()).toContain('import_cancel'));
    expect(fake.pendingImport).toBeNull();
    expect(fake.accounts).toHaveLength(1);
    expect(start).toHaveFocus();
  });

  test('a KeePass file takes a key file along with its password', async () => {
    const fake = unlockedFake();
    fake.importFiles['/home/ada/Passwords.kdbx'] = {
      format: 'kdbx',
      description: 'KeePass database, encrypted',
      password: 'pw',
      keyfile: '/home/ada/db.keyx',
      accounts: [{ name: 'Example', username: 'ada', password: 'hunter22hunter22', recovery: [{ code: 'abc-123', usedAt: null }] }],
    };
    fake.picks = ['/home/ada/Passwords.kdbx', '/home/ada/db.keyx'];
    const { user, dialog } = await openFromSettings();
    await user.click(within(dialog).getByTestId('import-choose'));
    await screen.findByRole('dialog', { name: 'KeePass database, encrypted' });
    await user.type(screen.getByLabelText('Password of this file'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Choose a key file…' }));
    expect(await screen.findByTestId('import-keyfile-name')).toHaveTextContent('db.keyx');
    await user.click(screen.getByRole('button', { name: 'Read file' }));
    await screen.findByTestId('import-preview');
    expect(fake.callsOf('import_preview')).toEqual([{ filePassword: 'pw', keyfile: true }]);
    expect(screen.getByTestId('import-to-add')).toHaveTextContent('ada · password · 1 recovery code');
    await user.click(screen.getByRole('button', { name: 'Import 1 account' }));
    await waitFor(() => expect(fake.accounts.map((a) => a.name)).toEqual(['Example']));
  });

  test('from the empty accounts screen: a plain file is previewed at once, imported, and the cards show', async () => {
    const fake = unlockedFake();
    fake.importFiles['/home/ada/otp.txt'] = {
      format: 'otpauth',
      description: 'otpauth:// links',
      accounts: [
        { name: 'ada@example.com', issuer: 'Example', otp: { ...TOTP } },
        { name: 'ada', issuer: 'Forgejo', otp: { ...TOTP, kind: 'hotp' } },
      ],
    };
    fake.picks = ['/home/ada/otp.txt'];
    await session.refreshAccounts();
    render(Toast);
    render(AccountsPage);
    const user = userEvent.setup();
    const empty = screen.getByTestId('empty-state');
    await user.click(within(empty).getByRole('button', { name: 'Import from another app…' }));
    await user.click(within(dialogNamed('Import from another app')).getByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    expect(screen.queryByLabelText('Password of this file')).not.toBeInTheDocument();
    expect(fake.callsOf('import_preview')).toEqual([{ filePassword: null, keyfile: false }]);
    await user.click(screen.getByRole('button', { name: 'Import 2 accounts' }));
    expect(await screen.findAllByTestId('account-card')).toHaveLength(2);
    expect(screen.queryByTestId('empty-state')).not.toBeInTheDocument();
    expect(toastTexts()).toEqual(['Imported 2 accounts from otp.txt (otpauth:// links)']);
    // The opener went away with the empty screen: focus lands on "Add account", not on <body>.
    await waitFor(() => expect(screen.getByTestId('add-account')).toHaveFocus());
  });

  test('a file that holds only what the vault has offers nothing to import', async () => {
    const fake = unlockedFake();
    fake.addAccount({ name: 'GitHub', issuer: 'GitHub', username: 'ada' });
    fake.importFiles['/x.json'] = { format: 'aegis', description: 'Aegis backup', accounts: [{ name: 'GitHub', issuer: 'GitHub', username: 'ada' }] };
    fake.picks = ['/x.json'];
    const { user, dialog } = await openFromSettings();
    await user.click(within(dialog).getByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    expect(screen.getByText('Everything this file holds is already in the vault.')).toBeInTheDocument();
    expect(screen.queryByTestId('import-confirm')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(fake.commands()).not.toContain('import_confirm');
  });
});
