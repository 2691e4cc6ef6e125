// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import LockScreen from '../components/LockScreen.svelte';
import { session } from '../lib/session.svelte';
import { FakeBackend } from './fakeBackend';
import { installFakeBackend } from './install';

function setup(exists: boolean, keychain: FakeBackend['keychain'] = 'off', startup = true) {
  const fake = new FakeBackend();
  fake.exists = exists;
  fake.masterPassword = 'correct horse battery staple';
  fake.keychain = keychain;
  installFakeBackend(fake);
  session.startupKeychainTried = !startup;
  const onunlocked = vi.fn();
  render(LockScreen, { status: { exists, unlocked: false, path: fake.path, keychain: keychain !== 'off' }, onunlocked });
  return { fake, onunlocked, user: userEvent.setup() };
}

describe('LockScreen: first run creates the vault', () => {
  test('asks for the password twice with a strength hint, and creates the vault', async () => {
    const { fake, onunlocked, user } = setup(false);
    expect(screen.getByRole('heading', { name: 'Create your vault' })).toBeInTheDocument();
    const pw = screen.getByTestId('lock-password');
    const confirm = screen.getByTestId('lock-password-confirm');
    expect(pw).toHaveFocus();

    const hint = document.getElementById('lock-strength')!;
    expect(pw.getAttribute('aria-describedby')).toContain('lock-strength');
    expect(hint).toHaveTextContent('only the top score counts as good');
    await user.type(pw, 'password1');
    // Rated in Rust (password_strength, as a master password, debounced while typing).
    await waitFor(() => expect(hint).toHaveTextContent(/^Very weak\./));
    expect(fake.callsOf('password_strength').at(-1)).toMatchObject({ password: 'password1', master: true });
    await user.clear(pw);
    const before = fake.callsOf('password_strength').length;
    await user.type(pw, 'tulip granite Orbit 42!');
    await waitFor(() => expect(hint).toHaveTextContent(/^Strong\./));
    expect(fake.callsOf('password_strength').length - before).toBeLessThan(5);

    await user.type(confirm, 'tulip granite Orbit 4');
    expect(screen.getByText('The passwords do not match yet.')).toBeInTheDocument();
    expect(confirm).toHaveAttribute('aria-invalid', 'true');

    await user.type(confirm, '2!{Enter}');
    expect(screen.queryByText('The passwords do not match yet.')).not.toBeInTheDocument();
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.callsOf('vault_create')).toEqual([{ password: 'tulip granite Orbit 42!' }]);
    expect(fake.commands()).not.toContain('vault_unlock_prepare');
  });

  test('refuses mismatching passwords without calling Rust', async () => {
    const { fake, onunlocked, user } = setup(false);
    await user.type(screen.getByTestId('lock-password'), 'tulip granite Orbit 42!');
    await user.type(screen.getByTestId('lock-password-confirm'), 'tulip granite orbit 42!');
    await user.click(screen.getByTestId('lock-submit'));
    expect(screen.getByTestId('lock-error')).toHaveTextContent('The passwords do not match.');
    expect(screen.getByTestId('lock-password-confirm')).toHaveFocus();
    expect(fake.commands()).not.toContain('vault_create');
    expect(onunlocked).not.toHaveBeenCalled();
  });

  test('refuses a short password', async () => {
    const { fake, user } = setup(false);
    await user.type(screen.getByTestId('lock-password'), 'short{Enter}');
    expect(screen.getByTestId('lock-error')).toHaveTextContent('Use at least 8 characters.');
    expect(fake.commands()).not.toContain('vault_create');
  });
});

describe('LockScreen: unlock', () => {
  test('Enter submits and unlocks with the right password', async () => {
    const { fake, onunlocked, user } = setup(true);
    expect(screen.getByRole('heading', { name: 'Unlock Keydeck' })).toBeInTheDocument();
    expect(screen.queryByTestId('lock-password-confirm')).not.toBeInTheDocument();
    await user.type(screen.getByTestId('lock-password'), 'correct horse battery staple{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.callsOf('vault_unlock')).toEqual([{ password: 'correct horse battery staple' }]);
    expect(fake.unlocked).toBe(true);
  });

  test('a wrong password shows "Wrong password" under the field and keeps the typed value', async () => {
    const { fake, onunlocked, user } = setup(true);
    const pw = screen.getByTestId('lock-password') as HTMLInputElement;
    await user.type(pw, 'correct horse battery stapler');
    await user.click(screen.getByTestId('lock-submit'));

    const error = await screen.findByTestId('lock-error');
    expect(error).toHaveTextContent('Wrong password');
    expect(pw.value).toBe('correct horse battery stapler');
    expect(pw).toHaveAttribute('aria-invalid', 'true');
    expect(pw.getAttribute('aria-describedby')).toContain(error.id);
    expect(pw).toHaveFocus();
    expect(onunlocked).not.toHaveBeenCalled();

    // Fix the typo and try again.
    await user.type(pw, '{Backspace}{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.callsOf('vault_unlock')).toHaveLength(2);
  });

  test('typing asks Rust to get the key derivation ready, once per attempt', async () => {
    const { fake, onunlocked, user } = setup(true);
    const pw = screen.getByTestId('lock-password');
    expect(fake.commands()).not.toContain('vault_unlock_prepare');
    await user.type(pw, 'wrong one');
    expect(fake.callsOf('vault_unlock_prepare')).toHaveLength(1);
    await user.click(screen.getByTestId('lock-submit'));
    await screen.findByTestId('lock-error');
    // The failed attempt used the prepared memory up: editing the field prepares it again.
    await user.clear(pw);
    await user.type(pw, 'correct horse battery staple');
    expect(fake.callsOf('vault_unlock_prepare')).toHaveLength(2);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    const order = fake.commands().filter((c) => c.startsWith('vault_unlock'));
    expect(order).toEqual(['vault_unlock_prepare', 'vault_unlock', 'vault_unlock_prepare', 'vault_unlock']);
  });

  test('an empty password is not sent', async () => {
    const { fake, user } = setup(true);
    await user.click(screen.getByTestId('lock-submit'));
    expect(screen.getByTestId('lock-error')).toHaveTextContent('Enter your master password.');
    expect(fake.commands()).not.toContain('vault_unlock');
  });
});

describe('LockScreen: keychain unlock', () => {
  test('at app start, unlocks from the keychain without a password', async () => {
    const { fake, onunlocked } = setup(true, 'works');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.commands()).toContain('vault_unlock_keychain');
    expect(fake.commands()).not.toContain('vault_unlock');
  });

  test('a failing keychain says why in one line and leaves the password path ready', async () => {
    const { fake, onunlocked, user } = setup(true, 'broken');
    const err = await screen.findByTestId('keychain-error');
    expect(err).toHaveTextContent(
      'System keychain: the system keychain is locked or denied access (prompt dismissed). Enter your master password.',
    );
    expect(err).toHaveAttribute('role', 'alert');
    await waitFor(() => expect(screen.getByTestId('lock-password')).toHaveFocus());
    expect(onunlocked).not.toHaveBeenCalled();
    await user.type(screen.getByTestId('lock-password'), 'correct horse battery staple{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    expect(fake.callsOf('vault_unlock')).toEqual([{ password: 'correct horse battery staple' }]);
  });

  test('after a lock it waits for the click on "Unlock with system keychain"', async () => {
    const { fake, onunlocked, user } = setup(true, 'works', false);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.commands()).not.toContain('vault_unlock_keychain');
    await user.click(screen.getByRole('button', { name: 'Unlock with system keychain' }));
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
  });

  test('no keychain button when keychain unlock is off', () => {
    setup(true, 'off');
    expect(screen.queryByTestId('keychain-unlock')).not.toBeInTheDocument();
  });
});

describe('LockScreen: a slow keychain does not block the password', () => {
  test('the password can be typed and used while the keychain has not answered', async () => {
    const fake = new FakeBackend();
    fake.keychain = 'works';
    installFakeBackend(fake);
    session.startupKeychainTried = false;
    // The keychain "hangs" (an OS prompt nobody answers) until released.
    let release: () => void = () => {};
    const original = fake.handle.bind(fake);
    fake.handle = async (cmd: string, args: unknown) => {
      if (cmd === 'vault_unlock_keychain') await new Promise<void>((r) => (release = r));
      return original(cmd, args);
    };
    const onunlocked = vi.fn();
    render(LockScreen, { status: { exists: true, unlocked: false, path: fake.path, keychain: true }, onunlocked });
    expect(await screen.findByTestId('keychain-busy')).toHaveTextContent('Unlocking with the system keychain…');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('lock-password'), 'correct horse battery staple{Enter}');
    await waitFor(() => expect(onunlocked).toHaveBeenCalledOnce());
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(onunlocked).toHaveBeenCalledOnce();
  });
});
