// SPDX-License-Identifier: GPL-3.0-or-later
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import { codes } from '../lib/codes.svelte';
import { dialogNamed, renderDetails, toastTexts, unlockedFake } from './helpers';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

async function openSaveCode() {
  const fake = unlockedFake();
  const acc = fake.addAccount({ name: 'GitHub', username: 'ada@example.com' });
  const r = await renderDetails(fake, acc.id);
  const toggle = screen.getByTestId('mfa-section-toggle');
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  expect(screen.queryByTestId('set-as-mfa')).not.toBeInTheDocument();
  await r.user.click(toggle);
  expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const opener = screen.getByTestId('set-as-mfa');
  await r.user.click(opener);
  const dialog = dialogNamed('Save code');
  return { fake, acc, user: r.user, dialog, opener, toggle };
}

describe('SaveCodeDialog', () => {
  test('is a labelled modal dialog with the Secret Key field focused', async () => {
    const { dialog } = await openSaveCode();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('heading', { name: 'Save code' })).toBeInTheDocument();
    const field = within(dialog).getByLabelText('Secret key');
    expect(field).toBe(screen.getByTestId('secret-key'));
    expect(field).toHaveFocus();
    // Advanced options start collapsed.
    expect(screen.getByTestId('advanced-toggle')).toHaveAttribute('aria-expanded', 'false');
    expect(within(dialog).queryByLabelText('Algorithm')).not.toBeInTheDocument();
  });

  test('invalid secret: shows the Rust message under the field, nothing is saved', async () => {
    const { fake, acc, user } = await openSaveCode();
    const field = screen.getByTestId('secret-key') as HTMLInputElement;
    await user.type(field, 'JBSW1Y3DP');
    await user.click(screen.getByTestId('save-code'));

    const error = await screen.findByTestId('secret-error');
    expect(error).toHaveTextContent("That secret key isn't valid: it should contain only the letters A–Z and digits 2–7, but character 5 is '1'.");
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.value).toBe('JBSW1Y3DP');
    expect(field).toHaveFocus();
    expect(screen.queryByTestId('saved-code')).not.toBeInTheDocument();
    expect(fake.accounts.find((a) => a.id === acc.id)!.otp).toBeNull();
    expect(fake.callsOf('otp_save')).toHaveLength(1);
  });

  test('an empty field is not sent to Rust', async () => {
    const { fake, user } = await openSaveCode();
    await user.click(screen.getByTestId('save-code'));
    expect(screen.getByTestId('secret-error')).toHaveTextContent('Enter the secret key, or scan a QR code.');
    expect(fake.commands()).not.toContain('otp_save');
  });

  test('valid secret → saved code with countdown and copy → Done → success message, code on the page', async () => {
    const { fake, acc, user, toggle } = await openSaveCode();
    codes.start();
    await user.type(screen.getByTestId('secret-key'), 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp');
    await user.click(screen.getByTestId('save-code'));

    const saved = await screen.findByTestId('saved-code');
    const expected = fake.currentCode(acc.id);
    expect(saved.textContent).toBe(expected.code);
    expect(saved.textContent).toMatch(/^\d{6}$/);
    expect(saved).toHaveAttribute('aria-label', `Current code ${expected.code.slice(0, 3).split('').join(' ')}, ${expected.code.slice(3).split('').join(' ')}`);
    expect(screen.getByRole('timer')).toHaveAttribute('aria-label', '20 seconds left');
    expect(fake.callsOf('otp_save')).toEqual([
      {
        id: acc.id,
        input: 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp',
        settings: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
      },
    ]);
    // The secret field is gone and the secret never came back over IPC.
    expect(screen.queryByTestId('secret-key')).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);

    // Focus lands on Done, so Enter finishes.
    expect(screen.getByTestId('done')).toHaveFocus();
    await user.click(screen.getByTestId('code-copy'));
    expect(fake.callsOf('code_copy')).toEqual([{ id: acc.id }]);
    expect(fake.clipboard).toBe(expected.code);
    expect(toastTexts()).toContain('Copied — clears in 30 s');

    await user.click(screen.getByTestId('done'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const message = await screen.findByTestId('success-message');
    expect(message).toHaveAttribute('role', 'status');
    expect(message).toHaveTextContent('MFA is on for GitHub');
    // The section now shows the live code, and focus went back to the section toggle.
    expect((await screen.findByTestId('mfa-current-code')).textContent).toBe(expected.code);
    expect(toggle).toHaveFocus();
  });

  test('a whole otpauth:// URI is accepted in the Secret Key field; warnings are shown politely', async () => {
    const { fake, acc, user } = await openSaveCode();
    const uri = 'otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME&digits=8';
    await user.type(screen.getByTestId('secret-key'), uri);
    await user.keyboard('{Enter}');

    const saved = await screen.findByTestId('saved-code');
    expect(fake.callsOf('otp_save')[0].input).toBe(uri);
    expect(saved.textContent).toMatch(/^\d{8}$/);
    // 8 digits are read as 4 + 4.
    const code = saved.textContent!;
    expect(saved.getAttribute('aria-label')).toBe(
      `Current code ${code.slice(0, 4).split('').join(' ')}, ${code.slice(4).split('').join(' ')}`,
    );
    expect(fake.accounts.find((a) => a.id === acc.id)!.otp?.digits).toBe(8);
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent('shorter than 128 bits');
  });

  test('scan with several authenticators: the user picks one', async () => {
    const { fake, acc, user } = await openSaveCode();
    fake.queueScan('qr.png', [
      { name: 'ACME:ada', issuer: 'ACME', account: 'ada@acme.test', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
      { name: 'GitHub:ada', issuer: 'GitHub', account: 'ada@example.com', secret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK' },
      { name: 'Example', issuer: 'Example', account: 'ada', secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' },
    ]);
    await user.click(screen.getByTestId('scan-file'));
    // Rust opens the image dialog and scans what was chosen: the page sends no path.
    expect(fake.callsOf('scan_choose')).toEqual([{}]);

    const group = await screen.findByRole('group', { name: /Found 3 authenticator codes/ });
    const radios = within(group).getAllByRole('radio');
    expect(radios).toHaveLength(3);
    expect(radios[0]).toBeChecked();
    await user.click(within(group).getByLabelText(/GitHub/));
    expect(radios[1]).toBeChecked();
    await user.click(screen.getByTestId('save-code'));

    await screen.findByTestId('saved-code');
    expect(fake.callsOf('otp_save_scanned')).toEqual([{ id: acc.id, index: 1 }]);
    expect(fake.accounts.find((a) => a.id === acc.id)!.otp?.secret).toBe('MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK');
    expect(screen.getByTestId('saved-code').textContent).toBe(fake.currentCode(acc.id).code);
  });

  test('scans from the clipboard and the screen; an empty scan explains itself', async () => {
    const { fake, user } = await openSaveCode();
    await user.click(screen.getByTestId('scan-clipboard'));
    expect(await screen.findByRole('alert')).toHaveTextContent('No QR code found in clipboard.');
    fake.scans.push({ source: 'screen', found: [], other: ['https://example.com'], problems: [] });
    await user.click(screen.getByTestId('scan-screen'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('Found a QR code, but it is not an authenticator setup code.'),
    );
    expect(fake.commands()).toEqual(expect.arrayContaining(['scan_clipboard', 'scan_screen']));
    expect(fake.commands()).not.toContain('otp_save');
  });

  test('a cancelled file picker does nothing', async () => {
    const { fake, user } = await openSaveCode();
    fake.pickedPath = null;
    await user.click(screen.getByTestId('scan-file'));
    expect(fake.commands()).not.toContain('scan_file');
    expect(screen.getByTestId('secret-key')).toBeInTheDocument();
  });

  test('dropping an image file on the dialog scans its bytes', async () => {
    const { fake, dialog } = await openSaveCode();
    fake.queueScan('drop.png', [{ name: 'Example', issuer: 'Example', account: 'ada', secret: 'KRSXG5CTMVRXEZLU' }]);
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'drop.png', { type: 'image/png' });
    await fireEvent.dragOver(dialog, { dataTransfer: { types: ['Files'], files: [file] } });
    await fireEvent.drop(dialog, { dataTransfer: { types: ['Files'], files: [file] } });
    await screen.findByRole('group', { name: 'Found this authenticator code' });
    expect(fake.callsOf('scan_bytes')).toEqual([{ name: 'drop.png', bytes: [137, 80, 78, 71] }]);
  });

  test('Ctrl+V with an image on the clipboard scans the clipboard', async () => {
    const { fake } = await openSaveCode();
    const field = screen.getByTestId('secret-key');
    await fireEvent.paste(field, { clipboardData: { types: ['image/png'], files: [], items: [] } });
    await waitFor(() => expect(fake.commands()).toContain('scan_clipboard'));
    // Text pastes go into the field as usual.
    const before = fake.calls.length;
    await fireEvent.paste(field, { clipboardData: { types: ['text/plain'], files: [], items: [] } });
    expect(fake.calls.length).toBe(before);
  });

  test('advanced options are sent with the secret', async () => {
    const { fake, user } = await openSaveCode();
    const adv = screen.getByTestId('advanced-toggle');
    await user.click(adv);
    expect(adv).toHaveAttribute('aria-expanded', 'true');
    await user.selectOptions(screen.getByLabelText('Type'), 'hotp');
    await user.selectOptions(screen.getByLabelText('Algorithm'), 'SHA256');
    await user.selectOptions(screen.getByLabelText('Digits'), '8');
    const counter = screen.getByLabelText('Counter');
    await user.clear(counter);
    await user.type(counter, '5');
    await user.type(screen.getByTestId('secret-key'), SECRET + '{Enter}');
    await screen.findByTestId('saved-code');
    expect(fake.callsOf('otp_save')[0].settings).toEqual({ kind: 'hotp', algorithm: 'SHA256', digits: 8, period: 30, counter: 5 });
    // HOTP: no countdown.
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
  });

  test('keyboard only: open, type, Enter to save, Enter on Done; Tab stays inside the dialog', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub' });
    const { user } = await renderDetails(fake, acc.id);
    screen.getByTestId('mfa-section-toggle').focus();
    await user.keyboard('{Enter}');
    await user.tab();
    expect(screen.getByTestId('set-as-mfa')).toHaveFocus();
    await user.keyboard('{Enter}');
    const dialog = dialogNamed('Save code');
    const field = screen.getByTestId('secret-key');
    expect(field).toHaveFocus();

    // Shift+Tab from the first field reaches the close button, then wraps to the last control.
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByTestId('save-code')).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    // Walk all the way round: focus never leaves the dialog.
    for (let i = 0; i < 12; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }

    field.focus();
    await user.keyboard(SECRET + '{Enter}');
    await screen.findByTestId('saved-code');
    expect(screen.getByTestId('done')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByTestId('success-message')).toHaveTextContent('MFA is on for GitHub');
    expect(screen.getByTestId('mfa-section-toggle')).toHaveFocus();
  });

  test('Esc closes without saving and focus returns to "Set up MFA"', async () => {
    const { fake, user, opener } = await openSaveCode();
    await user.type(screen.getByTestId('secret-key'), 'JBSWY3DP');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
    expect(fake.commands()).not.toContain('otp_save');
    expect(screen.queryByTestId('success-message')).not.toBeInTheDocument();
  });

  test('Cancel closes too, and the close button is labelled', async () => {
    const { user, opener, dialog } = await openSaveCode();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});
