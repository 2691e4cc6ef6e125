// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import BackupSettings from '../components/BackupSettings.svelte';
import LockScreen from '../components/LockScreen.svelte';
import Toast from '../components/Toast.svelte';
import { formatDateTime } from '../lib/format';
import { session } from '../lib/session.svelte';
import { FakeBackend } from './fakeBackend';
import { dialogNamed, toastTexts, unlockedFake } from './helpers';
import { installFakeBackend } from './install';

const NOW = 1_700_000_020;
const DIR = '/home/ada/Backups/keydeck';
const BACKUP = `${DIR}/keydeck-20231114T215000Z.sqlite`;
const BACKUP_AT = 1_699_998_600;

async function renderBackups(setup: (fake: FakeBackend) => void = () => {}) {
  const fake = unlockedFake(NOW);
  setup(fake);
  render(Toast);
  render(BackupSettings);
  await screen.findByLabelText('Folder');
  return { fake, user: userEvent.setup() };
}

describe('BackupSettings', () => {
  test('shows the stored settings, saves changes and refuses a keep count out of range', async () => {
    const { fake, user } = await renderBackups((f) => {
      f.backup = { ...f.backup, dir: DIR, keep: 10, auto: true };
    });
    const folder = screen.getByLabelText('Folder');
    const keep = screen.getByLabelText('Backups to keep');
    const auto = screen.getByRole('switch', { name: /Back up automatically/ });
    expect(folder).toHaveValue(DIR);
    expect(keep).toHaveValue(10);
    expect(auto).toBeChecked();
    expect(screen.getByTestId('backup-status')).toHaveTextContent('No backup yet.');

    await user.clear(keep);
    await user.type(keep, '0');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Keep between 1 and 100 backups.');
    expect(keep).toHaveFocus();
    expect(fake.commands()).not.toContain('backup_set');

    // "Choose…" has Rust open a folder dialog; the chosen folder goes into the field.
    fake.picks = ['/media/usb/keydeck'];
    await user.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(folder).toHaveValue('/media/usb/keydeck'));
    expect(fake.callsOf('backup_choose_folder')).toEqual([{}]);

    await user.clear(keep);
    await user.type(keep, '5');
    await user.click(auto);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(fake.callsOf('backup_set')).toEqual([{ settings: { dir: '/media/usb/keydeck', keep: 5, auto: false } }]);
    expect(fake.backup).toMatchObject({ dir: '/media/usb/keydeck', keep: 5, auto: false });
  });

  test('"Back up now" adds a backup to the list and updates the last backup time', async () => {
    const { fake, user } = await renderBackups((f) => {
      f.backup = { ...f.backup, dir: DIR, pending: true };
      f.backups = [{ path: BACKUP, name: 'keydeck-20231114T215000Z.sqlite', at: BACKUP_AT, size: 2_621_440 }];
    });
    expect(screen.getByTestId('backup-pending')).toHaveTextContent('A recent change is not backed up yet; it will be within a minute.');
    let rows = within(screen.getByTestId('backup-list')).getAllByRole('listitem');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(formatDateTime(BACKUP_AT));
    expect(rows[0]).toHaveTextContent('2.5 MB');

    await user.click(screen.getByRole('button', { name: 'Back up now' }));
    await waitFor(() => expect(within(screen.getByTestId('backup-list')).getAllByRole('listitem')).toHaveLength(2));
    expect(fake.commands()).toContain('backup_now');
    rows = within(screen.getByTestId('backup-list')).getAllByRole('listitem');
    // Newest first.
    expect(rows[0]).toHaveTextContent(formatDateTime(NOW));
    expect(rows[1]).toHaveTextContent(formatDateTime(BACKUP_AT));
    expect(screen.getByTestId('backup-status')).toHaveTextContent(`Last backup: ${formatDateTime(NOW)}`);
    expect(screen.queryByTestId('backup-pending')).not.toBeInTheDocument();
    expect(toastTexts()).toEqual([`Backed up to ${DIR}`]);
    expect(screen.getByRole('button', { name: 'Back up now' })).toHaveFocus();
  });

  test('a failed automatic backup is a warning; a failing "Back up now" says why', async () => {
    const { fake, user } = await renderBackups((f) => {
      f.backup = { ...f.backup, dir: DIR, lastAt: BACKUP_AT, lastError: `${DIR}: No space left on device`, pending: true };
      f.backupFailure = `${DIR}: No space left on device`;
    });
    const warning = screen.getByTestId('backup-last-error');
    expect(warning).toHaveAttribute('role', 'alert');
    expect(warning).toHaveTextContent(
      `The last automatic backup failed: ${DIR}: No space left on device; your changes are safe in the vault.`,
    );
    expect(screen.getByTestId('backup-status')).toHaveTextContent(`Last backup: ${formatDateTime(BACKUP_AT)}`);

    await user.click(screen.getByRole('button', { name: 'Back up now' }));
    expect(await screen.findByTestId('backup-now-error')).toHaveTextContent('No space left on device');
    expect(fake.backups).toEqual([]);
  });
});

describe('RestoreDialog', () => {
  function lockedFake(exists = true) {
    const fake = installFakeBackend(new FakeBackend());
    fake.exists = exists;
    fake.nowOverride = NOW;
    fake.addAccount({ name: 'Current account' });
    fake.backupFiles[BACKUP] = {
      at: BACKUP_AT,
      password: 'the old master password',
      accounts: [{ name: 'GitHub' }, { name: 'Proton' }, { name: 'Steam' }],
    };
    fake.picks = [BACKUP];
    return fake;
  }

  test('from the lock screen: choose, wrong then right password, see what it holds, replace, unlock it', async () => {
    const fake = lockedFake();
    session.status = { exists: true, unlocked: false, path: fake.path, keychain: false };
    const onunlocked = vi.fn();
    render(LockScreen, { status: session.status, onunlocked });
    const user = userEvent.setup();

    const opener = screen.getByRole('button', { name: 'Restore from a backup…' });
    await user.click(opener);
    const dialog = dialogNamed('Restore from a backup');
    expect(within(dialog).getByTestId('restore-choose')).toHaveFocus();
    await user.click(within(dialog).getByTestId('restore-choose'));
    // Rust opens the file dialog and keeps the path: the page sends none.
    expect(fake.callsOf('restore_choose')).toEqual([{}]);
    const pw = await within(dialog).findByLabelText('Master password of this backup');
    await waitFor(() => expect(pw).toHaveFocus());
    expect(within(dialog).getByTestId('restore-file')).toHaveTextContent('keydeck-20231114T215000Z.sqlite');

    await user.type(pw, 'wrong{Enter}');
    const err = await within(dialog).findByTestId('restore-password-error');
    expect(err).toHaveAttribute('role', 'alert');
    expect(err).toHaveTextContent('Wrong password');
    expect(pw).toHaveFocus();

    await user.clear(pw);
    await user.type(pw, 'the old master password{Enter}');
    const info = await within(dialog).findByTestId('restore-info');
    expect(info).toHaveTextContent(`Backup of ${formatDateTime(BACKUP_AT)}, 3 accounts.`);
    expect(info).toHaveFocus();
    expect(dialog).toHaveTextContent('The current vault is kept beside it');
    expect(fake.callsOf('restore_inspect')).toEqual([
      { password: 'wrong', name: null },
      { password: 'the old master password', name: null },
    ]);
    expect(fake.commands()).not.toContain('restore_apply');
    expect(fake.accounts.map((a) => a.name)).toEqual(['Current account']);

    await user.click(within(dialog).getByRole('button', { name: 'Replace my vault with this backup' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsOf('restore_apply')).toEqual([{ password: 'the old master password' }]);
    expect(screen.getByTestId('lock-message')).toHaveTextContent(
      `Restored the backup of ${formatDateTime(BACKUP_AT)} (3 accounts). The replaced vault was kept beside it.`,
    );
    await waitFor(() => expect(screen.getByTestId('lock-password')).toHaveFocus());

    // The restored vault opens with the backup's master password.
    await user.type(screen.getByTestId('lock-password'), 'the old master password{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.accounts.map((a) => a.name)).toEqual(['GitHub', 'Proton', 'Steam']);
  });

  test('from Settings → Backups: a listed backup restores, and the app goes to the lock screen with the message', async () => {
    const fake = lockedFake();
    fake.backup = { ...fake.backup, dir: DIR };
    fake.backups = [{ path: BACKUP, name: 'keydeck-20231114T215000Z.sqlite', at: BACKUP_AT, size: 40960 }];
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByTestId('lock-password'), `${fake.masterPassword}{Enter}`);
    await screen.findAllByTestId('account-card');
    await user.click(screen.getByRole('button', { name: /Settings/ }));
    const row = within(await screen.findByTestId('backup-list')).getByRole('listitem');
    await user.click(within(row).getByRole('button', { name: `Restore the backup of ${formatDateTime(BACKUP_AT)}…` }));
    const dialog = dialogNamed('Restore from a backup');
    // The backup is already chosen: the password is asked at once.
    await waitFor(() => expect(within(dialog).getByLabelText('Master password of this backup')).toHaveFocus());
    await user.type(within(dialog).getByLabelText('Master password of this backup'), 'the old master password{Enter}');
    await user.click(await within(dialog).findByRole('button', { name: 'Replace my vault with this backup' }));

    expect(await screen.findByTestId('lock-message')).toHaveTextContent(
      `Restored the backup of ${formatDateTime(BACKUP_AT)} (3 accounts). The replaced vault was kept beside it.`,
    );
    expect(screen.queryByTestId('account-card')).not.toBeInTheDocument();
    expect(session.unlocked).toBe(false);
    expect(session.accounts).toEqual([]);
    await waitFor(() => expect(screen.getByTestId('lock-password')).toHaveFocus());
    expect(fake.commands()).not.toContain('restore_choose');
    // Chosen by name from the list: Rust finds it in the backup folder.
    expect(fake.callsOf('restore_inspect')).toEqual([{ password: 'the old master password', name: 'keydeck-20231114T215000Z.sqlite' }]);

    // The message goes away once the vault is open again.
    await user.type(screen.getByTestId('lock-password'), 'the old master password{Enter}');
    expect(await screen.findAllByTestId('account-card')).toHaveLength(3);
    expect(session.lockMessage).toBeNull();
  });

  test('on a first run (no vault yet) a backup becomes the vault, and the lock screen asks to unlock it', async () => {
    const fake = lockedFake(false);
    fake.accounts = [];
    session.status = { exists: false, unlocked: false, path: fake.path, keychain: false };
    const user = userEvent.setup();
    render(App);
    expect(await screen.findByRole('heading', { name: 'Create your vault' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore from a backup…' }));
    await user.click(screen.getByTestId('restore-choose'));
    await user.type(await screen.findByLabelText('Master password of this backup'), 'the old master password{Enter}');
    expect(await screen.findByTestId('restore-info')).toHaveTextContent('3 accounts');
    expect(screen.queryByText(/kept beside it/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore this backup' }));
    expect(await screen.findByTestId('lock-message')).toHaveTextContent(
      `Restored the backup of ${formatDateTime(BACKUP_AT)} (3 accounts). Unlock it with its master password.`,
    );
    expect(screen.getByRole('heading', { name: 'Unlock Keydeck' })).toBeInTheDocument();
    expect(screen.queryByTestId('lock-password-confirm')).not.toBeInTheDocument();
  });

  test('a file that is not a backup says so; Esc closes and nothing is replaced', async () => {
    const fake = lockedFake();
    fake.picks = ['/home/ada/photo.jpg'];
    session.status = { exists: true, unlocked: false, path: fake.path, keychain: false };
    render(LockScreen, { status: session.status, onunlocked: () => {} });
    const user = userEvent.setup();
    const opener = screen.getByRole('button', { name: 'Restore from a backup…' });
    await user.click(opener);
    await user.click(screen.getByTestId('restore-choose'));
    await user.type(await screen.findByLabelText('Master password of this backup'), 'x{Enter}');
    expect(await screen.findByTestId('restore-error')).toHaveTextContent('not a Keydeck vault');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
    expect(fake.commands()).not.toContain('restore_apply');
    expect(screen.queryByTestId('lock-message')).not.toBeInTheDocument();
  });
});
