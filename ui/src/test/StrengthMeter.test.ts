// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import StrengthMeter from '../components/StrengthMeter.svelte';
import { unlockedFake } from './helpers';

describe('StrengthMeter: the core estimate, one model everywhere', () => {
  test('shows the label and reasons that password_strength returns, and the reuse by name', async () => {
    const fake = unlockedFake();
    fake.addAccount({ name: 'GitHub', password: 'password123' });
    fake.addAccount({ name: 'Gmail', password: 'password123' });
    render(StrengthMeter, { password: 'password123', userInputs: ['ada', 'Bank'], id: 'm' });
    const hint = await screen.findByTestId('strength-label');
    expect(hint).toHaveTextContent('Very weak.');
    const text = screen.getByTestId('strength-hint').textContent ?? '';
    expect(text).toContain('This is a very common password.');
    expect(text).toContain('Used by 2 other accounts: GitHub, Gmail.');
    expect(fake.callsOf('password_strength')).toEqual([
      { password: 'password123', accountId: null, userInputs: ['ada', 'Bank'], master: false },
    ]);
    expect(screen.getByTestId('strength-meter').dataset.score).toBe('0');
  });

  test('debounces while typing and keeps the last estimate on screen until the next one', async () => {
    const fake = unlockedFake();
    const view = render(StrengthMeter, { password: 'a', id: 'm' });
    await screen.findByTestId('strength-label');
    const calls = fake.callsOf('password_strength').length;
    fake.latency = 300;
    for (const p of ['ab', 'abc', 'abcd', 'abcde-fghij-k']) await view.rerender({ password: p, id: 'm' });
    // Right after typing, the previous label is still shown (no blank, no flicker) …
    expect(screen.getByTestId('strength-label')).toHaveTextContent('Weak.');
    // … and one call for the burst of keystrokes brings the new one.
    await waitFor(() => expect(screen.getByTestId('strength-label')).toHaveTextContent('Fair.'));
    expect(fake.callsOf('password_strength').slice(calls)).toHaveLength(1);
  });

  test('rates a saved (generated) password by account id, without the password crossing', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'Bank', password: 'a-long-generated-password-x' });
    render(StrengthMeter, { password: null, accountId: acc.id, id: 'm' });
    expect(await screen.findByTestId('strength-label')).toHaveTextContent('Strong.');
    expect(fake.callsOf('password_strength')[0]).toMatchObject({ password: null, accountId: acc.id });
  });
});
