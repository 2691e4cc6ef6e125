// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor } from '@testing-library/svelte';
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
