// SPDX-License-Identifier: GPL-3.0-or-later
//
// The one and only bridge to the Rust side. No other module of the app imports `@tauri-apps/*`:
// everything goes through the typed wrappers below, one per `#[tauri::command]`.
// Every wrapper rejects with a plain `IpcError` object `{ kind, message }`.
//
// Secrets rule: none of these functions returns an OTP secret, password or recovery code except
// the explicit reveal commands (`passwordReveal`, `recoveryReveal`, `recoveryRevealAll`, which asks
// for the master password) and the transfer QR
// (`otpQrSvg`, which asks for the master password). Copying happens in Rust (`*_copy`).
//
// Paths rule: no function here sends a file path. Rust opens the native file dialogs and takes
// dropped files from the OS event, keeps the paths, and tells us file names to show.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

// ---- Contract types: generated from the Rust side by ts-rs (src-tauri/src/types.rs) --------
// `make test` fails if ./bindings is stale, so the UI and the app cannot drift apart.

import type { IpcErrorKind } from './bindings/IpcErrorKind';
import type { IpcError } from './bindings/IpcError';
import type { VaultStatus } from './bindings/VaultStatus';
import type { CodeCopied } from './bindings/CodeCopied';
import type { SavedAccount } from './bindings/SavedAccount';
import type { OtpKind } from './bindings/OtpKind';
import type { Algorithm } from './bindings/Algorithm';
import type { MfaInfo } from './bindings/MfaInfo';
import type { AccountCard } from './bindings/AccountCard';
import type { Milestone } from './bindings/Milestone';
import type { RecoveryItem } from './bindings/RecoveryItem';
import type { AccountDetail } from './bindings/AccountDetail';
import type { CodeView } from './bindings/CodeView';
import type { OtpSettings } from './bindings/OtpSettings';
import type { SavedCode } from './bindings/SavedCode';
import type { ScanFound } from './bindings/ScanFound';
import type { ScanResult } from './bindings/ScanResult';
import type { RecoveryAdded } from './bindings/RecoveryAdded';
import type { EventView } from './bindings/EventView';
import type { Theme } from './bindings/Theme';
import type { Settings } from './bindings/Settings';
import type { AccountInput } from './bindings/AccountInput';
import type { PasswordOptions } from './bindings/PasswordOptions';
import type { ImportInspect } from './bindings/ImportInspect';
import type { ImportItem } from './bindings/ImportItem';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ExportFormatInfo } from './bindings/ExportFormatInfo';
import type { ExportSummary } from './bindings/ExportSummary';
import type { BackupItem } from './bindings/BackupItem';
import type { BackupView } from './bindings/BackupView';
import type { BackupSettingsInput } from './bindings/BackupSettingsInput';
import type { RestoreInfo } from './bindings/RestoreInfo';
import type { HistoryItem } from './bindings/HistoryItem';
import type { KeychainState } from './bindings/KeychainState';
import type { DesktopSettings } from './bindings/DesktopSettings';
import type { DesktopView } from './bindings/DesktopView';
export type { DesktopSettings, DesktopView };
import type { TrashEntry } from './bindings/TrashEntry';
import type { PasswordStrength } from './bindings/PasswordStrength';
import type { RevealedCode } from './bindings/RevealedCode';
export type { IpcErrorKind, IpcError, VaultStatus, OtpKind, Algorithm, MfaInfo, AccountCard, Milestone, RecoveryItem, AccountDetail, CodeView, OtpSettings, SavedCode, ScanFound, ScanResult, RecoveryAdded, EventView, Theme, Settings, AccountInput, PasswordOptions, HistoryItem, KeychainState, PasswordStrength, RevealedCode };
export type { CodeCopied, SavedAccount };
export type { ImportInspect, ImportItem, ImportPreview, ExportFormatInfo, ExportSummary, BackupItem, BackupView, BackupSettingsInput, RestoreInfo };
export type { TrashEntry };

// ---- Errors ---------------------------------------------------------------------------------

const KINDS: readonly IpcErrorKind[] = ['bad_input', 'wrong_password', 'integrity', 'locked', 'keychain', 'other'];

export function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { kind?: unknown }).kind === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Normalise whatever a rejected invoke produced into an `IpcError`. */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) {
    const kind = (KINDS as readonly string[]).includes(e.kind) ? e.kind : 'other';
    return { kind, message: e.message };
  }
  if (typeof e === 'string') return { kind: 'other', message: e };
  if (e instanceof Error) return { kind: 'other', message: e.message };
  return { kind: 'other', message: 'Unexpected error' };
}

/** Human-readable message of any caught value. */
export function errorMessage(e: unknown): string {
  return toIpcError(e).message;
}

let lockedHandler: (() => void) | null = null;

/**
 * Called whenever a command fails with `kind: 'locked'` (the vault was locked behind our back,
 * e.g. auto-lock raced a click). The app uses it to drop its state and show the lock screen.
 */
export function setLockedHandler(handler: (() => void) | null): void {
  lockedHandler = handler;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const err = toIpcError(e);
    if (err.kind === 'locked' && lockedHandler) lockedHandler();
    throw err;
  }
}

// ---- Vault ----------------------------------------------------------------------------------

/** The user did something in the window: postpones the backend's auto-lock (codes_now does not). */
export const activity = () => call<void>('activity');

export const vaultStatus = () => call<VaultStatus>('vault_status');
export const vaultCreate = (password: string) => call<void>('vault_create', { password });
export const vaultUnlock = (password: string) => call<void>('vault_unlock', { password });
export const vaultLock = () => call<void>('vault_lock');

// ---- Keychain unlock ------------------------------------------------------------------------

/** Unlocks with the key in the OS keychain (no password). Fails with `keychain` or `integrity`. */
/** The user started typing the master password: Rust gets Argon2's memory ready meanwhile. */
export const vaultUnlockPrepare = () => call<void>('vault_unlock_prepare');
export const vaultUnlockKeychain = () => call<void>('vault_unlock_keychain');
export const keychainStatus = () => call<KeychainState>('keychain_status');
/** Needs the master password (checked in Rust, as the CLI asks for it). */
export const keychainEnable = (masterPassword: string) => call<void>('keychain_enable', { masterPassword });
/** Resolves to a warning when the keychain entry could not be deleted (the slot is gone). */
export const keychainDisable = () => call<string | null>('keychain_disable');
export const masterPasswordChange = (current: string, next: string) =>
  call<void>('master_password_change', { current, next });

// ---- Accounts -------------------------------------------------------------------------------

export const accountsList = () => call<AccountCard[]>('accounts_list');
export const accountGet = (id: string) => call<AccountDetail>('account_get', { id });
export const accountAdd = (input: AccountInput) => call<string>('account_add', { input });
/** Add account in one step, with its authenticator: a secret key / otpauth:// link, or a scan result. */
export const accountAddWithOtp = (
  input: AccountInput,
  otp: { secret: string; settings: OtpSettings } | { scanIndex: number },
) => call<SavedAccount>('account_add_with_otp', { input, ...otp });
export const accountUpdate = (id: string, input: AccountInput) =>
  call<void>('account_update', { id, input });
export const accountRemove = (id: string) => call<void>('account_remove', { id });
export const accountFavourite = (id: string, on: boolean) => call<void>('account_favourite', { id, on });

// ---- Trash (removed accounts) ---------------------------------------------------------------

export const trashList = () => call<TrashEntry[]>('trash_list');
export const trashRestore = (id: string) => call<void>('trash_restore', { id });
export const trashDelete = (id: string) => call<void>('trash_delete', { id });
export const trashEmpty = () => call<number>('trash_empty');

// ---- Passwords ------------------------------------------------------------------------------

export const passwordSet = (id: string, password: string) =>
  call<void>('password_set', { id, password });
export const passwordGenerateAndSet = (id: string, options: PasswordOptions) =>
  call<void>('password_generate_and_set', { id, options });
export const passwordReveal = (id: string) => call<string>('password_reveal', { id });
export const passwordCopy = (id: string) => call<void>('password_copy', { id });
/** Opens the account's stored website (http/https only, checked in Rust) in the default browser. */
export const openWebsite = (id: string) => call<void>('open_website', { id });
export const usernameCopy = (id: string) => call<void>('username_copy', { id });

// ---- One-time codes -------------------------------------------------------------------------

export const codesNow = () => call<CodeView[]>('codes_now');
export const codeCopy = (id: string) => call<CodeCopied>('code_copy', { id });
export const hotpNext = (id: string) => call<CodeView>('hotp_next', { id });
export const otpSave = (id: string, input: string, settings: OtpSettings) =>
  call<SavedCode>('otp_save', { id, input, settings });
export const otpRemove = (id: string) => call<void>('otp_remove', { id });
export const otpQrSvg = (id: string, password: string) =>
  call<string>('otp_qr_svg', { id, password });

// ---- QR scanning ----------------------------------------------------------------------------

/** "Image file…": Rust opens the file dialog and scans the image; null when cancelled. */
export const scanChoose = () => call<ScanResult | null>('scan_choose');
/** Scans the file just dropped on the window (Rust kept its path from the OS event). */
export const scanDropped = () => call<ScanResult>('scan_dropped');
export const scanClipboard = () => call<ScanResult>('scan_clipboard');
export const scanScreen = () => call<ScanResult>('scan_screen');
export const scanBytes = (name: string, bytes: number[]) =>
  call<ScanResult>('scan_bytes', { name, bytes });
export const otpSaveScanned = (id: string, index: number) =>
  call<SavedCode>('otp_save_scanned', { id, index });

// ---- Recovery codes -------------------------------------------------------------------------

export const recoveryAdd = (id: string, text: string) =>
  call<RecoveryAdded>('recovery_add', { id, text });
export const recoveryReveal = (id: string, index: number) =>
  call<string>('recovery_reveal', { id, index });
export const recoveryCopy = (id: string, index: number) =>
  call<void>('recovery_copy', { id, index });
export const recoveryMarkUsed = (id: string, index: number) =>
  call<number>('recovery_mark_used', { id, index });
/** Undo of Mark used; resolves to how many codes are unused now. */
export const recoveryUnmark = (id: string, index: number) => call<number>('recovery_unmark', { id, index });
/** "Replace all": the pasted block becomes the account's only codes. */
export const recoveryReplace = (id: string, text: string) => call<RecoveryAdded>('recovery_replace', { id, text });
/** The unused codes (used ones too with `includeUsed`), after the master password. */
export const recoveryRevealAll = (id: string, masterPassword: string, includeUsed = false) =>
  call<RevealedCode[]>('recovery_reveal_all', { id, masterPassword, includeUsed });
/** Copies the unused codes, one per line, in Rust; resolves to how many. */
export const recoveryCopyAll = (id: string, masterPassword: string) =>
  call<number>('recovery_copy_all', { id, masterPassword });
/**
 * After the master password, Rust asks where to save the account's emergency kit (PDF) and
 * writes it; resolves to the path written, or null when the save dialog was cancelled.
 */
export const recoveryPrint = (id: string, masterPassword: string) =>
  call<string | null>('recovery_print', { id, masterPassword });

// ---- Password strength ----------------------------------------------------------------------

/**
 * The one strength estimate (Rust, zxcvbn): `password` as typed, or without it the saved
 * password of `accountId`. `master` rates a master password (works while locked, needs 4/4).
 * While unlocked, reuse is reported by naming the other accounts (their passwords stay in Rust).
 */
export const passwordStrength = (args: {
  password?: string | null;
  accountId?: string | null;
  userInputs?: string[];
  master?: boolean;
}) =>
  call<PasswordStrength>('password_strength', {
    password: args.password ?? null,
    accountId: args.accountId ?? null,
    userInputs: args.userInputs ?? [],
    master: args.master ?? false,
  });

// ---- Activity and settings ------------------------------------------------------------------

export const eventsList = (id: string | null) => call<EventView[]>('events_list', { id });
export const settingsGet = () => call<Settings>('settings_get');
export const settingsSet = (settings: Settings) => call<void>('settings_set', { settings });
/** Which loaded settings were out of range and reset, once (then null). */
export const settingsNoticeTake = () => call<string | null>('settings_notice_take');
// ---- Import (three steps: inspect, preview, confirm) ----------------------------------------

/**
 * "Choose a file…": Rust opens the file dialog (no extension filter: formats are recognised from
 * their content) and keeps the path; resolves to the file's name, or null when cancelled.
 */
export const importChoose = () => call<string | null>('import_choose');
/** A KeePass key file (any file can be one) for the chosen import: its name, or null. */
export const importChooseKeyfile = () => call<string | null>('import_choose_keyfile');
/** What the chosen file is, recognised from its content (no password needed yet). */
export const importInspect = () => call<ImportInspect>('import_inspect');
/**
 * Reads the chosen file with its password (and the chosen key file when `keyfile`) and says what
 * an import would do; nothing changes. A wrong password rejects with `wrong_password`.
 */
export const importPreview = (filePassword: string | null, keyfile: boolean) =>
  call<ImportPreview>('import_preview', { filePassword, keyfile });
/** Adds what the preview listed under "to add", in one transaction; resolves to how many. */
export const importConfirm = () => call<number>('import_confirm');
/** Forgets the chosen file and what was read from it. */
export const importCancel = () => call<void>('import_cancel');

// ---- Export -------------------------------------------------------------------------------

export const exportFormats = () => call<ExportFormatInfo[]>('export_formats');
/**
 * Exporting takes every secret out, so Rust checks the master password first, then opens the
 * save dialog and writes the file; resolves to null when the dialog was cancelled.
 */
export const exportChooseAndWrite = (format: string, masterPassword: string, filePassword: string | null) =>
  call<ExportSummary | null>('export_choose_and_write', { format, masterPassword, filePassword });

// ---- Backups and restore --------------------------------------------------------------------

export const backupGet = () => call<BackupView>('backup_get');
export const backupSet = (settings: BackupSettingsInput) => call<BackupView>('backup_set', { settings });
export const backupNow = () => call<BackupView>('backup_now');
/** "Choose…" for the backup folder: Rust's folder dialog; the folder chosen, or null. */
export const backupChooseFolder = () => call<string | null>('backup_choose_folder');
/** "Choose the backup…": Rust's file dialog, starting in the backup folder; the file's name, or null. */
export const restoreChoose = () => call<string | null>('restore_choose');
/**
 * Opens the chosen backup (or, with `name`, the backup of that name in the backup folder's list)
 * with `password` (its master password) and says what it holds.
 */
export const restoreInspect = (password: string, name: string | null = null) =>
  call<RestoreInfo>('restore_inspect', { password, name });
/** Replaces the vault with the backup just inspected (the replaced one is kept beside it); the app is then locked. */
export const restoreApply = (password: string) => call<void>('restore_apply', { password });

// ---- Desktop: tray, global shortcut, autostart, quick access --------------------------------

/** Settings → Desktop, with what the desktop refused (e.g. the shortcut on Wayland). */
export const desktopSettingsGet = () => call<DesktopView>('desktop_settings_get');
/** Applies at once (the shortcut is registered again) and saves; a bad shortcut rejects with `bad_input`. */
export const desktopSettingsSet = (settings: DesktopSettings) =>
  call<DesktopView>('desktop_settings_set', { settings });
/** The quick-access window hides itself (Esc, or after copying a code). */
export const quickHide = () => call<void>('quick_hide');
/** Brings the main window forward (from the quick window, e.g. to unlock). */
export const mainShow = () => call<void>('main_show');

// ---- Events and platform helpers ------------------------------------------------------------

export type Unlisten = () => void;

/** Unlistening must never throw (the window may be going away). */
function safe(unlisten: () => void): Unlisten {
  return () => {
    try {
      unlisten();
    } catch {
      /* already gone */
    }
  };
}

/** The backend locked the vault (auto-lock, Ctrl+L handled in Rust, suspend). */
export async function onVaultLocked(handler: () => void): Promise<Unlisten> {
  try {
    return safe(await listen('vault-locked', () => handler()));
  } catch {
    return () => {};
  }
}

/** The quick-access window was shown by the shortcut, the tray or `--quick`. */
export async function onQuickShown(handler: () => void): Promise<Unlisten> {
  try {
    return safe(await listen('quick-shown', () => handler()));
  } catch {
    return () => {};
  }
}

/** An automatic backup failed (the change itself is kept): the reason, once per problem. */
export async function onBackupWarning(handler: (message: string) => void): Promise<Unlisten> {
  try {
    return safe(await listen<string>('backup-warning', (e) => handler(String(e.payload))));
  } catch {
    return () => {};
  }
}

/** An automatic backup was made or failed: Settings → Backups shows the new state. */
export async function onBackupChange(handler: () => void): Promise<Unlisten> {
  try {
    const done = await listen('backup-done', () => handler());
    const warned = await listen('backup-warning', () => handler());
    return safe(() => {
      done();
      warned();
    });
  } catch {
    return () => {};
  }
}

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'] as const;

export type FileDropHandlers = {
  /** Files are being dragged over the window (true) or left/dropped (false). */
  hover?: (over: boolean) => void;
  /** A file was dropped: its name (Rust keeps the path; then `scanDropped()`). */
  drop: (name: string) => void;
};

/**
 * OS-level file drops onto the window. Rust takes them from the OS event, keeps the path and
 * tells us the file's name only; in a plain browser the DOM `drop` event carries the bytes.
 */
export async function onFileDrop(handlers: FileDropHandlers): Promise<Unlisten> {
  try {
    const hover = await listen<boolean>('file-drag', (e) => handlers.hover?.(e.payload === true));
    const dropped = await listen<string>('file-dropped', (e) => handlers.drop(String(e.payload)));
    return safe(() => {
      hover();
      dropped();
    });
  } catch {
    // Not running inside Tauri (tests, `vite dev` in a browser): DOM drops still work.
    return () => {};
  }
}
