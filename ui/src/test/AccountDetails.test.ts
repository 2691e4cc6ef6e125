// SPDX-License-Identifier: GPL-3.0-or-later
import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import { codes } from '../lib/codes.svelte';
import { formatDate } from '../lib/format';
import { dialogNamed, renderDetails, section, toastTexts, unlockedFake } from './helpers';

const OTP = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } as const;

describe('MfaSettings', () => {
  test('with MFA on: current code, QR after the master password, turn off after confirming', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', otp: { ...OTP } });
    codes.start();
    const { user } = await renderDetails(fake, acc.id);
    const toggle = screen.getByTestId('mfa-section-toggle');
    expect(toggle).toHaveTextContent('On');
    // MFA is on: the section starts open.
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const code = await screen.findByTestId('mfa-current-code');
    expect(code.textContent).toBe(fake.currentCode(acc.id).code);
    expect(screen.getByText(/TOTP · SHA1 · 6 digits · every 30 s/)).toBeInTheDocument();

    // Show QR code: the master password first; a wrong one keeps the dialog open.
    await user.click(screen.getByTestId('mfa-show-qr'));
    let dialog = dialogNamed('Confirm it is you');
    const pw = within(dialog).getByLabelText('Master password') as HTMLInputElement;
    expect(pw).toHaveFocus();
    await user.type(pw, 'nope{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Wrong password');
    expect(pw.value).toBe('nope');
    await user.clear(pw);
    await user.type(pw, `${fake.masterPassword}{Enter}`);
    dialog = await screen.findByRole('dialog', { name: 'QR code for GitHub' });
    const svg = dialog.querySelector('.qr-frame svg')!;
    expect(svg).not.toBeNull();
    expect(svg.getAttribute('role')).toBe('img');
    expect(fake.callsOf('otp_qr_svg')).toEqual([
      { id: acc.id, password: 'nope' },
      { id: acc.id, password: fake.masterPassword },
    ]);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('mfa-show-qr')).toHaveFocus();

    // Turn off: confirmation, then otp_remove.
    await user.click(screen.getByTestId('mfa-turn-off'));
    dialog = dialogNamed('Turn off MFA?');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByTestId('mfa-turn-off-confirm'));
    await waitFor(() => expect(screen.getByTestId('set-as-mfa')).toBeInTheDocument());
    expect(fake.callsOf('otp_remove')).toEqual([{ id: acc.id }]);
    expect(toggle).toHaveTextContent('Off');
    expect(toastTexts()).toContain('MFA is off for GitHub');
  });
});

describe('Credentials', () => {
  test('password masked; reveal, copy, rotate and generate go through Rust', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', username: 'ada', password: 'old-password-123' });
    const { user } = await renderDetails(fake, acc.id);
    const creds = section('Credentials');
    const value = within(creds).getByTestId('password-value');
    expect(value).not.toHaveTextContent('old-password-123');

    await user.click(within(creds).getByTestId('password-reveal'));
    expect(value).toHaveTextContent('old-password-123');
    await user.click(within(creds).getByTestId('password-reveal'));
    expect(value).not.toHaveTextContent('old-password-123');

    await user.click(within(creds).getByTestId('password-copy'));
    expect(fake.callsOf('password_copy')).toEqual([{ id: acc.id }]);
    expect(fake.clipboard).toBe('old-password-123');

    await user.click(within(creds).getByTestId('password-rotate'));
    const dialog = dialogNamed('Rotate password');
    await user.type(within(dialog).getByLabelText('New password'), 'brand-new-password-456{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsOf('password_set')).toEqual([{ id: acc.id, password: 'brand-new-password-456' }]);
    await waitFor(() => expect(creds).toHaveTextContent('Changed once · last on'));

    await user.click(within(creds).getByTestId('password-generate'));
    const gen = dialogNamed('Generate password');
    await user.click(within(gen).getByTestId('generate-save'));
    expect(await within(gen).findByRole('status')).toHaveTextContent('A new 20-character password is saved');
    expect(fake.callsOf('password_generate_and_set')[0]).toMatchObject({ id: acc.id, options: { length: 20 } });
    await user.click(within(gen).getByRole('button', { name: /Copy password/ }));
    expect(fake.callsOf('password_copy')).toHaveLength(2);
    // The generated password itself never reached the page.
    expect(document.body.textContent).not.toContain(fake.accounts[0].password!);
  });
});

describe('Security checklist and activity', () => {
  test('shows the level and each milestone with its reason', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', password: 'short', otp: { ...OTP } });
    const { user } = await renderDetails(fake, acc.id);
    const list = section('Security checklist');
    expect(list).toHaveTextContent('Level 3 of 5');
    expect(list).toHaveTextContent('Done: Credentials saved');
    expect(list).toHaveTextContent('To do: Recovery codes saved No recovery codes saved');
    expect(list).toHaveTextContent('To do: Strong, unique password Shorter than 12 characters');

    await user.click(screen.getByTestId('tab-activity'));
    await waitFor(() => expect(fake.callsOf('events_list')).toEqual([{ id: acc.id }]));
  });

  test('tabs follow the ARIA tabs pattern (arrow keys)', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub' });
    fake.events.push({ id: 'e1', at: 1_699_999_000, what: 'code_copied', description: 'Code copied', accountId: acc.id, account: 'GitHub', detail: '' });
    const { user } = await renderDetails(fake, acc.id);
    const general = screen.getByTestId('tab-general');
    general.focus();
    await user.keyboard('{ArrowRight}');
    const activity = screen.getByTestId('tab-activity');
    expect(activity).toHaveFocus();
    expect(activity).toHaveAttribute('aria-selected', 'true');
    expect(general).toHaveAttribute('tabindex', '-1');
    expect(await screen.findByText('Code copied')).toBeInTheDocument();
    expect(screen.getByRole('tabpanel', { name: 'Activity' })).toBeInTheDocument();
  });
});

describe('Details: username, website, password history', () => {
  test('Copy username goes through Rust and says so', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', username: 'ada@example.com' });
    const { user } = await renderDetails(fake, acc.id);
    const button = within(section('Credentials')).getByRole('button', { name: 'Copy username' });
    await user.click(button);
    expect(fake.callsOf('username_copy')).toEqual([{ id: acc.id }]);
    expect(fake.clipboard).toBe('ada@example.com');
    expect(toastTexts()).toContain('Username copied');
    expect(button).toHaveFocus();
  });

  test('no username: no copy button', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub' });
    await renderDetails(fake, acc.id);
    expect(screen.queryByTestId('username-copy')).not.toBeInTheDocument();
    expect(screen.queryByTestId('website-open')).not.toBeInTheDocument();
  });

  test('Open website asks Rust to open the stored address (by account id, not by URL)', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', url: 'https://github.com/login' });
    const { user } = await renderDetails(fake, acc.id);
    await user.click(within(section('Credentials')).getByRole('button', { name: 'Open website' }));
    expect(fake.callsOf('open_website')).toEqual([{ id: acc.id }]);
    expect(fake.opened).toEqual(['https://github.com/login']);
    expect(toastTexts()).toContain('Opened github.com in your browser');
  });

  test('Open website on an address Rust refuses shows its sentence', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'Share', url: 'smb://server/share' });
    const { user } = await renderDetails(fake, acc.id);
    await user.click(screen.getByTestId('website-open'));
    await waitFor(() => expect(toastTexts().join(' ')).toContain('is not a web address'));
    expect(fake.opened).toEqual([]);
  });

  test('password history: how often and when, with the dates listed, never the old passwords', async () => {
    const fake = unlockedFake();
    const t = (d: string) => Math.floor(Date.parse(d) / 1000);
    const acc = fake.addAccount({
      name: 'GitHub',
      password: 'current-password-1',
      passwordChangedAt: t('2026-11-12T10:00:00Z'),
      history: [t('2025-03-01T10:00:00Z'), t('2026-01-20T10:00:00Z'), t('2026-11-12T10:00:00Z')],
    });
    const { user } = await renderDetails(fake, acc.id);
    const toggle = screen.getByTestId('password-history-toggle');
    expect(toggle).toHaveTextContent(`Changed 3 times · last on ${formatDate(t('2026-11-12T10:00:00Z'))}`);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const items = within(screen.getByTestId('password-history')).getAllByRole('listitem');
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent('Current password');
    expect(items[1]).toHaveTextContent('Previous password');
    expect(items[1].querySelector('time')).toHaveAttribute('datetime', '2026-11-12T10:00:00.000Z');
    expect(items[3].querySelector('time')).toHaveAttribute('datetime', '2025-03-01T10:00:00.000Z');
    expect(document.body.textContent).not.toContain('current-password-1');
  });

  test('MFA off: the section starts closed and offers "Set up MFA"', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub' });
    const { user } = await renderDetails(fake, acc.id);
    const toggle = screen.getByTestId('mfa-section-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(screen.getByTestId('set-as-mfa')).toHaveAccessibleName('Set up MFA');
    expect(document.body.textContent).not.toContain('Set as MFA');
  });
});

