// SPDX-License-Identifier: GPL-3.0-or-later
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, test, vi } from 'vitest';
import * as ipc from '../lib/ipc';

function record(answer: (cmd: string, args: unknown) => unknown = () => null) {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return answer(cmd, args);
  });
  return calls;
}

describe('ipc.ts wrappers', () => {
  test('use the contract\'s command names and camelCase argument keys', async () => {
    const calls = record();
    const settings = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 } as const;
    const input = { name: 'n', issuer: '', username: '', url: '', notes: '', tags: [] };
    const options = { length: 20, lowercase: true, uppercase: true, digits: true, symbols: true, avoidAmbiguous: false };
    await ipc.activity();
    await ipc.vaultStatus();
    await ipc.vaultCreate('pw');
    await ipc.vaultUnlock('pw');
    await ipc.vaultLock();
    await ipc.accountsList();
    await ipc.accountGet('a');
    await ipc.accountAdd(input);
    await ipc.accountUpdate('a', input);
    await ipc.accountRemove('a');
    await ipc.passwordSet('a', 'p');
    await ipc.passwordGenerateAndSet('a', options);
    await ipc.passwordReveal('a');
    await ipc.passwordCopy('a');
    await ipc.codesNow();
    await ipc.codeCopy('a');
    await ipc.hotpNext('a');
    await ipc.otpSave('a', 'JBSW', settings);
    await ipc.otpRemove('a');
    await ipc.otpQrSvg('a', 'pw');
    await ipc.scanChoose();
    await ipc.scanDropped();
    await ipc.scanClipboard();
    await ipc.scanScreen();
    await ipc.scanBytes('x.png', [1, 2]);
    await ipc.otpSaveScanned('a', 2);
    await ipc.recoveryAdd('a', 'text');
    await ipc.recoveryReveal('a', 1);
    await ipc.recoveryCopy('a', 1);
    await ipc.recoveryMarkUsed('a', 1);
    await ipc.eventsList(null);
    await ipc.settingsGet();
    await ipc.settingsSet({ autoLockMinutes: 5, clipboardClearSeconds: 30, theme: 'system' });
    await ipc.masterPasswordChange('old', 'new');
    expect(calls).toEqual([
      ['activity', {}],
      ['vault_status', {}],
      ['vault_create', { password: 'pw' }],
      ['vault_unlock', { password: 'pw' }],
      ['vault_lock', {}],
      ['accounts_list', {}],
      ['account_get', { id: 'a' }],
      ['account_add', { input }],
      ['account_update', { id: 'a', input }],
      ['account_remove', { id: 'a' }],
      ['password_set', { id: 'a', password: 'p' }],
      ['password_generate_and_set', { id: 'a', options }],
      ['password_reveal', { id: 'a' }],
      ['password_copy', { id: 'a' }],
      ['codes_now', {}],
      ['code_copy', { id: 'a' }],
      ['hotp_next', { id: 'a' }],
      ['otp_save', { id: 'a', input: 'JBSW', settings }],
      ['otp_remove', { id: 'a' }],
      ['otp_qr_svg', { id: 'a', password: 'pw' }],
      ['scan_choose', {}],
      ['scan_dropped', {}],
      ['scan_clipboard', {}],
      ['scan_screen', {}],
      ['scan_bytes', { name: 'x.png', bytes: [1, 2] }],
      ['otp_save_scanned', { id: 'a', index: 2 }],
      ['recovery_add', { id: 'a', text: 'text' }],
      ['recovery_reveal', { id: 'a', index: 1 }],
      ['recovery_copy', { id: 'a', index: 1 }],
      ['recovery_mark_used', { id: 'a', index: 1 }],
      ['events_list', { id: null }],
      ['settings_get', {}],
      ['settings_set', { settings: { autoLockMinutes: 5, clipboardClearSeconds: 30, theme: 'system' } }],
      ['master_password_change', { current: 'old', next: 'new' }],
    ]);
  });

  test('import, export, backup and restore wrappers send the contract\'s names and camelCase keys', async () => {
    const calls = record();
    await ipc.importChoose();
    await ipc.importChooseKeyfile();
    await ipc.importInspect();
    await ipc.importPreview('pw', false);
    await ipc.importPreview(null, true);
    await ipc.importConfirm();
    await ipc.importCancel();
    await ipc.exportFormats();
    await ipc.exportChooseAndWrite('aegis-encrypted', 'master', 'file');
    await ipc.exportChooseAndWrite('otpauth', 'master', null);
    await ipc.backupGet();
    await ipc.backupSet({ dir: '/b', keep: 3, auto: false });
    await ipc.backupNow();
    await ipc.backupChooseFolder();
    await ipc.restoreChoose();
    await ipc.restoreInspect('pw');
    await ipc.restoreInspect('pw', 'keydeck-backup-x.sqlite');
    await ipc.restoreApply('pw');
    await ipc.recoveryPrint('a', 'master');
    expect(calls).toEqual([
      ['import_choose', {}],
      ['import_choose_keyfile', {}],
      ['import_inspect', {}],
      ['import_preview', { filePassword: 'pw', keyfile: false }],
      ['import_preview', { filePassword: null, keyfile: true }],
      ['import_confirm', {}],
      ['import_cancel', {}],
      ['export_formats', {}],
      ['export_choose_and_write', { format: 'aegis-encrypted', masterPassword: 'master', filePassword: 'file' }],
      ['export_choose_and_write', { format: 'otpauth', masterPassword: 'master', filePassword: null }],
      ['backup_get', {}],
      ['backup_set', { settings: { dir: '/b', keep: 3, auto: false } }],
      ['backup_now', {}],
      ['backup_choose_folder', {}],
      ['restore_choose', {}],
      ['restore_inspect', { password: 'pw', name: null }],
      ['restore_inspect', { password: 'pw', name: 'keydeck-backup-x.sqlite' }],
      ['restore_apply', { password: 'pw' }],
      ['recovery_print', { id: 'a', masterPassword: 'master' }],
    ]);
  });

  test('no wrapper sends a file path, and none opens a dialog from the web view', async () => {
    const source = (import.meta.glob('../lib/ipc.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[
      '../lib/ipc.ts'
    ];
    expect(source).not.toMatch(/plugin-dialog|plugin:dialog/);
    expect(source).not.toMatch(/\{[^}]*\bpath\b[^}]*\}\)/);
  });

  test('reject with the IpcError object the Rust side sent', async () => {
    record(() => {
      throw { kind: 'bad_input', message: "secret key: not base32: '1' at position 5" };
    });
    await expect(ipc.otpSave('a', '1', { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 })).rejects.toEqual({
      kind: 'bad_input',
      message: "secret key: not base32: '1' at position 5",
    });
  });

  test('normalise anything else into an IpcError', () => {
    expect(ipc.toIpcError('boom')).toEqual({ kind: 'other', message: 'boom' });
    expect(ipc.toIpcError(new Error('bad'))).toEqual({ kind: 'other', message: 'bad' });
    expect(ipc.toIpcError({ kind: 'weird', message: 'x' })).toEqual({ kind: 'other', message: 'x' });
    expect(ipc.toIpcError(42)).toEqual({ kind: 'other', message: 'Unexpected error' });
  });

  test('a "locked" error calls the locked handler', async () => {
    const handler = vi.fn();
    ipc.setLockedHandler(handler);
    record(() => {
      throw { kind: 'locked', message: 'locked' };
    });
    await expect(ipc.accountsList()).rejects.toMatchObject({ kind: 'locked' });
    expect(handler).toHaveBeenCalledOnce();
    ipc.setLockedHandler(null);
  });
});

describe('the IPC boundary', () => {
  test('only ipc.ts imports @tauri-apps/* (tests and the dev demo aside)', () => {
    const sources = import.meta.glob(['../**/*.ts', '../**/*.svelte', '!../test/**'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => /from\s+['"]@tauri-apps\//.test(sources[f]) && !f.endsWith('/lib/ipc.ts'));
    expect(offenders).toEqual([]);
    expect(sources['../lib/ipc.ts']).toMatch(/from '@tauri-apps\/api\/core'/);
  });

  test('no inline styles or eval in the app sources (strict CSP)', () => {
    const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../test/**'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(/\sstyle=["{]|style:[a-z-]+=|\beval\(|new Function\(/);
    }
  });
});
