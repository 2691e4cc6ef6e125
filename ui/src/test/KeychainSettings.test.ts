// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import KeychainSettings from '../components/KeychainSettings.svelte';
import { FakeBackend } from './fakeBackend';
import { installFakeBackend } from './install';

function setup(keychain: FakeBackend['keychain']) {
  const fake = new FakeBackend();
  fake.unlocked = true;
  fake.keychain = keychain;
  installFakeBackend(fake);
  render(KeychainSettings);
  return { fake, user: userEvent.setup() };
}

describe('Settings: unlock with system keychain', () => {
  test('turns on, shows that it works, and turns off again', async () => {
    const { fake, user } = setup('off');
    await waitFor(() => expect(screen.getByTestId('keychain-state')).toHaveTextContent('Off'));
    await user.click(screen.getByRole('button', { name: 'Turn on keychain unlock' }));
    // Password-less unlock needs the master password first.
    const dialog = await screen.findByRole('dialog', { name: 'Turn on keychain unlock?' });
    expect(fake.keychain).toBe('off');
    await user.type(within(dialog).getByLabelText('Master password'), fake.masterPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Turn on' }));
    await waitFor(() =>
      expect(screen.getByTestId('keychain-state')).toHaveTextContent('On — Keydeck unlocks from the system keychain.'),
    );
    expect(fake.keychain).toBe('works');
    await user.click(screen.getByRole('button', { name: 'Turn off keychain unlock' }));
    await waitFor(() => expect(screen.getByTestId('keychain-state')).toHaveTextContent('Off'));
    expect(fake.commands()).toEqual(
      expect.arrayContaining(['keychain_status', 'keychain_enable', 'keychain_disable']),
    );
  });

  test('a wrong master password is refused in the dialog; Cancel leaves it off with focus on the button', async () => {
    const { fake, user } = setup('off');
    const toggle = await screen.findByRole('button', { name: 'Turn on keychain unlock' });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    const dialog = await screen.findByRole('dialog', { name: 'Turn on keychain unlock?' });
    const field = within(dialog).getByLabelText('Master password');
    await user.click(within(dialog).getByRole('button', { name: 'Turn on' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Enter your master password.');
    await user.type(field, 'not the password');
    await user.click(within(dialog).getByRole('button', { name: 'Turn on' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent('That master password is not correct. Try again.'),
    );
    expect(field).toHaveFocus();
    expect(fake.keychain).toBe('off');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(toggle).toHaveFocus();
    expect(screen.getByTestId('keychain-state')).toHaveTextContent('Off');
  });

  test('on but failing: the reason is shown, and it can be turned off', async () => {
    const { fake, user } = setup('broken');
    await waitFor(() =>
      expect(screen.getByTestId('keychain-state')).toHaveTextContent(
        'On, but not working now: the system keychain is locked or denied access',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Turn off keychain unlock' }));
    await waitFor(() => expect(fake.keychain).toBe('off'));
  });
});
