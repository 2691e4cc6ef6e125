// SPDX-License-Identifier: GPL-3.0-or-later
// Route every invoke() of ipc.ts to a FakeBackend (test and demo only; the app never imports this).
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { FakeBackend } from './fakeBackend';

export function installFakeBackend(fake: FakeBackend = new FakeBackend()): FakeBackend {
  mockIPC((cmd, args) => fake.handle(cmd, args), { shouldMockEvents: true });
  return fake;
}

/** What Rust does on auto-lock / suspend. */
export async function emitVaultLocked(fake: FakeBackend): Promise<void> {
  fake.unlocked = false;
  await emit('vault-locked');
}
