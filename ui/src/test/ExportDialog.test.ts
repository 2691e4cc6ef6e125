// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import SettingsPage from '../components/SettingsPage.svelte';
import Toast from '../components/Toast.svelte';
import { dialogNamed, toastTexts, unlockedFake } from './helpers';

async function openExport() {
  const fake = unlockedFake();
  fake.addAccount({ name: 'GitHub', username: 'ada' });
  fake.addAccount({ name: 'Proton', username: 'ada@proton.me' });
  render(Toast);
  render(SettingsPage, { onback: () => {} });
  const user = userEvent.setup();
  const start = screen.getByRole('button', { name: 'Export…' });
  await user.click(start);
  const dialog = dialogNamed('Export accounts');
  await within(dialog).findByRole('group', { name: 'Format' });
  return { fake, user, start, dialog };
}

describe('ExportDialog', () => {
  test('offers the formats from Rust; the unencrypted ones carry a warning; encrypted is the default', async () => {
    const { dialog, user } = await openExport();
    const radios = within(dialog).getAllByRole('radio');
    expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual(['aegis-encrypted', 'kdbx', 'pdf', 'aegis', 'otpauth', 'google-migration']);
    expect(within(dialog).getByRole('radio', { name: /Aegis vault, encrypted/ })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: /Aegis vault, encrypted/ })).toHaveAccessibleDescription(
      'an encrypted Aegis vault (password-protected); Aegis, Ente Auth, 2FAS, Stratum and Proton read it',
    );
    for (const name of ['pdf', 'aegis', 'otpauth', 'google-migration'])
      expect(within(dialog).getByTestId(`export-format-${name}`)).toHaveTextContent('Not encrypted');
    for (const name of ['aegis-encrypted', 'kdbx'])
      expect(within(dialog).getByTestId(`export-format-${name}`)).not.toHaveTextContent('Not encrypted');
    expect(within(dialog).queryByTestId('export-unencrypted')).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText('Password for the file')).toBeInTheDocument();
    expect(within(dialog).getByText('Exporting takes every secret out: enter your master password.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Master password')).toHaveFocus();

    await user.click(within(dialog).getByRole('radio', { name: /otpauth:\/\/ links/ }));
    expect(within(dialog).getByTestId('export-unencrypted')).toHaveTextContent('This file is not encrypted.');
    expect(within(dialog).queryByLabelText('Password for the file')).not.toBeInTheDocument();
  });

  test('needs the master password and two matching file passwords before anything is written', async () => {
    const { fake, dialog, user } = await openExport();
    const master = within(dialog).getByLabelText('Master password');
    const file = within(dialog).getByLabelText('Password for the file');
    const repeat = within(dialog).getByLabelText('Repeat the file password');
    const go = within(dialog).getByRole('button', { name: 'Choose where to save…' });

    await user.click(go);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Enter your master password.');
    expect(master).toHaveFocus();
    expect(master).toHaveAttribute('aria-invalid', 'true');

    await user.type(master, fake.masterPassword);
    await user.click(go);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose a password for the file.');
    expect(file).toHaveFocus();

    await user.type(file, 'tulip granite Orbit 42!');
    await user.type(repeat, 'tulip granite Orbit 41!');
    await user.click(go);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('The file passwords do not match.');
    expect(repeat).toHaveFocus();
    expect(fake.commands()).not.toContain('export_choose_and_write');
  });

  test('a wrong master password is said under its field; the right one exports with the file password', async () => {
    const { fake, dialog, user, start } = await openExport();
    fake.savePath = '/home/ada/keydeck.json';
    const master = within(dialog).getByLabelText('Master password');
    await user.type(master, 'not it');
    await user.type(within(dialog).getByLabelText('Password for the file'), 'tulip granite Orbit 42!');
    await user.type(within(dialog).getByLabelText('Repeat the file password'), 'tulip granite Orbit 42!');
    await user.click(within(dialog).getByRole('button', { name: 'Choose where to save…' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Wrong master password.');
    expect(master).toHaveFocus();
    expect(fake.exported).toEqual({});

    await user.clear(master);
    await user.type(master, `${fake.masterPassword}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // Rust checks the password, then opens the save dialog: the page sends no path.
    expect(fake.callsOf('export_choose_and_write').at(-1)).toEqual({
      format: 'aegis-encrypted',
      masterPassword: fake.masterPassword,
      filePassword: 'tulip granite Orbit 42!',
    });
    expect(toastTexts()).toEqual([
      'Exported 2 accounts: an encrypted Aegis vault (password-protected); Aegis, Ente Auth, 2FAS, Stratum and Proton read it.',
    ]);
    expect(start).toHaveFocus();
  });

  test('an unencrypted format sends no file password, and the toast lists what was left out', async () => {
    const { fake, dialog, user } = await openExport();
    fake.savePath = '/home/ada/links.txt';
    fake.exportSkipped = ['Proton: no authenticator'];
    await user.click(within(dialog).getByRole('radio', { name: /Google Authenticator transfer links/ }));
    await user.type(within(dialog).getByLabelText('Master password'), `${fake.masterPassword}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsOf('export_choose_and_write')).toEqual([
      { format: 'google-migration', masterPassword: fake.masterPassword, filePassword: null },
    ]);
    expect(fake.exported['/home/ada/links.txt']).toMatchObject({ format: 'google-migration', filePassword: null });
    expect(toastTexts()).toEqual([
      'Exported 1 account: UNENCRYPTED Google Authenticator transfer links. Left out (1): Proton: no authenticator',
    ]);
  });

  test('cancelling the save picker writes nothing and keeps the dialog; an existing file is refused', async () => {
    const { fake, dialog, user } = await openExport();
    fake.savePath = null;
    await user.click(within(dialog).getByRole('radio', { name: /otpauth:\/\/ links/ }));
    await user.type(within(dialog).getByLabelText('Master password'), `${fake.masterPassword}{Enter}`);
    await waitFor(() => expect(fake.commands()).toContain('export_choose_and_write'));
    expect(fake.exported).toEqual({});
    expect(screen.getByRole('dialog', { name: 'Export accounts' })).toBeInTheDocument();

    fake.savePath = '/home/ada/old.txt';
    fake.exported['/home/ada/old.txt'] = { format: 'otpauth', filePassword: null, accounts: 1 };
    await user.click(within(dialog).getByRole('button', { name: 'Choose where to save…' }));
    expect(await within(dialog).findByTestId('export-error')).toHaveTextContent('/home/ada/old.txt: already exists');
  });
});
