// SPDX-License-Identifier: GPL-3.0-or-later
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AccountDetails from '../components/AccountDetails.svelte';
import Toast from '../components/Toast.svelte';
import { session } from '../lib/session.svelte';
import { FakeBackend } from './fakeBackend';
import { installFakeBackend } from './install';

/** A fake backend that is already unlocked, and a session that knows it. */
export function unlockedFake(now = 1_700_000_020): FakeBackend {
  const fake = installFakeBackend(new FakeBackend());
  fake.unlocked = true;
  fake.nowOverride = now;
  session.status = { exists: true, unlocked: true, path: fake.path, keychain: false };
  session.unlocked = true;
  return fake;
}

/** Render an account's details page (plus the toast region, as App does). */
export async function renderDetails(fake: FakeBackend, id: string) {
  render(Toast);
  const view = render(AccountDetails, { id, onback: () => {} });
  const name = fake.accounts.find((a) => a.id === id)!.name;
  await screen.findByRole('heading', { level: 1, name });
  return { ...view, user: userEvent.setup() };
}

export function dialogNamed(name: string | RegExp): HTMLElement {
  return screen.getByRole('dialog', { name });
}

export function toastTexts(): string[] {
  return screen.queryAllByTestId('toast').map((t) => t.textContent?.trim() ?? '');
}

export function section(name: string | RegExp): HTMLElement {
  return screen.getByRole('region', { name });
}

export { within };
