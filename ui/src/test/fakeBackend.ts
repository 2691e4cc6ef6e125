// SPDX-License-Identifier: GPL-3.0-or-later
//
// An in-memory stand-in for the Rust commands, used by the component tests (through mockIPC, so
// the real ipc.ts wrappers, command names and argument keys are exercised) and by `npm run dev`
// in a plain browser. It follows the IPC contract, not the real crypto: codes are deterministic
// fakes, not RFC 6238.

import { baseName } from '../lib/format';
import type {
  AccountCard,
  AccountDetail,
  AccountInput,
  Algorithm,
  CodeView,
  EventView,
  IpcError,
  Milestone,
  OtpKind,
  OtpSettings,
  PasswordOptions,
  PasswordStrength,
  RecoveryAdded,
  SavedCode,
  ScanResult,
  Settings,
  KeychainState,
  VaultStatus,
  BackupItem,
  BackupView,
  BackupSettingsInput,
  ExportFormatInfo,
  ExportSummary,
  ImportInspect,
  ImportItem,
  ImportPreview,
  RestoreInfo,
  DesktopSettings,
  DesktopView,
  TrashEntry,
} from '../lib/ipc';

export type FakeOtp = {
  kind: OtpKind;
  algorithm: Algorithm;
  digits: number;
  period: number;
  counter: number;
  secret: string;
};

export type FakeAccount = {
  id: string;
  name: string;
  issuer: string;
  username: string;
  url: string;
  notes: string;
  tags: string[];
  icon: string;
  password: string | null;
  passwordChangedAt: number | null;
  history: number[];
  otp: FakeOtp | null;
  recovery: { code: string; usedAt: number | null }[];
  favourite?: boolean;
  createdAt: number;
  updatedAt: number;
};

export type Call = { cmd: string; args: Record<string, unknown> };

/** A file the fake import reads: what Rust would recognise in it and what it holds. */
export type FakeImportFile = {
  format: string;
  description: string;
  /** The file's password when it is encrypted. */
  password?: string;
  /** A KeePass key file's path, when the file needs one. */
  keyfile?: string;
  accounts: (Partial<FakeAccount> & { name: string })[];
  problems?: string[];
  warnings?: string[];
};

/** A backup file: the master password it opens with and the accounts it holds. */
export type FakeBackupFile = { at: number | null; password: string; accounts: (Partial<FakeAccount> & { name: string })[] };

export const FAKE_EXPORT_FORMATS: ExportFormatInfo[] = [
  {
    name: 'aegis-encrypted',
    label: 'Aegis vault, encrypted',
    description: 'an encrypted Aegis vault (password-protected); Aegis, Ente Auth, 2FAS, Stratum and Proton read it',
    encrypted: true,
    extension: 'json',
  },
  { name: 'kdbx', label: 'KeePass database (KDBX 4)', description: 'a KeePass database (KDBX 4, password-protected)', encrypted: true, extension: 'kdbx' },
  { name: 'pdf', label: 'Emergency kit (PDF, to print)', description: 'an emergency kit to print, UNENCRYPTED', encrypted: false, extension: 'pdf' },
  { name: 'aegis', label: 'Aegis vault, unencrypted', description: 'an UNENCRYPTED Aegis vault', encrypted: false, extension: 'json' },
  { name: 'otpauth', label: 'otpauth:// links, unencrypted', description: 'UNENCRYPTED otpauth:// links, one a line', encrypted: false, extension: 'txt' },
  {
    name: 'google-migration',
    label: 'Google Authenticator transfer links, unencrypted',
    description: 'UNENCRYPTED Google Authenticator transfer links',
    encrypted: false,
    extension: 'txt',
  },
];

const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

function fail(kind: IpcError['kind'], message: string): never {
  throw { kind, message } satisfies IpcError;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Deterministic fake code for a secret at a time step or counter. */
export function fakeCode(otp: FakeOtp, step: number): string {
  const h = hash(`${otp.secret}:${otp.algorithm}:${step}`);
  if (otp.kind === 'steam') {
    let n = h;
    let out = '';
    for (let i = 0; i < 5; i++) {
      out += STEAM_ALPHABET[n % STEAM_ALPHABET.length];
      n = Math.floor(n / STEAM_ALPHABET.length) + hash(`${i}${out}`);
    }
    return out;
  }
  let digits = String(h) + String(hash(`${h}`));
  while (digits.length < otp.digits) digits += '7';
  return digits.slice(0, otp.digits);
}

/** Forgiving base32 as the real parser: spaces, dashes, lowercase and missing padding are fine. */
export function parseBase32(input: string): string {
  const cleaned = input.replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
  if (!cleaned) fail('bad_input', 'Enter the secret key.');
  for (let i = 0; i < cleaned.length; i++) {
    if (!/[A-Z2-7]/.test(cleaned[i])) fail('bad_input', `That secret key isn't valid: it should contain only the letters A–Z and digits 2–7, but character ${i + 1} is '${cleaned[i]}'.`);
  }
  return cleaned;
}

export class FakeBackend {
  exists = true;
  unlocked = false;
  masterPassword = 'correct horse battery staple';
  /** Keychain unlock: off, on and working, or on but failing with `keychainProblem`. */
  keychain: 'off' | 'works' | 'broken' = 'off';
  keychainProblem = 'the system keychain is locked or denied access (prompt dismissed)';
  /** What `settings_notice_take` returns once (settings reset at start). */
  settingsNotice: string | null = null;
  accounts: FakeAccount[] = [];
  /** Removed accounts, with when they were removed (as the Trash keeps them). */
  trash: (FakeAccount & { deletedAt: number })[] = [];
  settings: Settings = { autoLockMinutes: 5, clipboardClearSeconds: 30, theme: 'system' };
  events: EventView[] = [];
  calls: Call[] = [];
  /** What the next scan_* call returns (queue); empty → nothing found. */
  scans: ScanResult[] = [];
  lastScan: (ScanResult & { secrets: FakeOtp[] }) | null = null;
  /** How many times the UI reported user activity. */
  activityCount = 0;
  /** The value Rust would have put on the clipboard. */
  clipboard: string | null = null;
  /** Websites Rust would have opened in the browser. */
  opened: string[] = [];
  path = '/home/user/.local/share/keydeck/vault.sqlite';
  /** Fixed clock for tests (Unix seconds), or the real one. */
  nowOverride: number | null = null;
  /** What the native file dialog (opened by Rust) answers; null = cancelled. */
  pickedPath: string | null = '/home/user/Pictures/qr.png';
  /** What the next open dialogs answer, in order; when empty, `pickedPath`. */
  picks: (string | null)[] = [];
  /** The paths Rust keeps for what the user chose (the web view only learns names). */
  chosen: { import: string | null; keyfile: string | null; backup: string | null; dropped: string | null } = {
    import: null,
    keyfile: null,
    backup: null,
    dropped: null,
  };
  /** What the save dialog (opened by Rust) answers; null = cancelled. */
  savePath: string | null = '/home/user/keydeck-export.json';
  /** Files the import can read, by path; any other path is "not a format Keydeck reads". */
  importFiles: Record<string, FakeImportFile> = {};
  /** The previewed import waiting for import_confirm (as Rust keeps it in its state). */
  pendingImport: { path: string; toAdd: (Partial<FakeAccount> & { name: string })[] } | null = null;
  /** Files written by export_file, by path. */
  exported: Record<string, { format: string; filePassword: string | null; accounts: number }> = {};
  /** Accounts export_file reports as left out, with the reason. */
  exportSkipped: string[] = [];
  backup: { dir: string; keep: number; auto: boolean; lastAt: number | null; lastError: string | null; pending: boolean } = {
    dir: '/home/user/.local/share/keydeck/backups',
    keep: 10,
    auto: true,
    lastAt: null,
    lastError: null,
    pending: false,
  };
  backups: BackupItem[] = [];
  /** What backup_now fails with (the folder is gone, the disk is full…), if anything. */
  backupFailure: string | null = null;
  /** Backup files restore_* can open, by path. */
  backupFiles: Record<string, FakeBackupFile> = {};
  /** Settings → Desktop (tray, autostart, quick-access shortcut). */
  desktop: DesktopView = { closeToTray: false, autostart: false, shortcut: 'Ctrl+Alt+K', shortcutProblem: null, autostartProblem: null };
  /** Optional artificial latency (ms) for the demo. */
  latency = 0;
  #nextId = 1;

  now(): number {
    return this.nowOverride ?? Math.floor(Date.now() / 1000);
  }

  commands(): string[] {
    return this.calls.map((c) => c.cmd);
  }

  callsOf(cmd: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }

  // ---- seeding helpers for tests and the demo ------------------------------------------------

  addAccount(partial: Partial<FakeAccount> & { name: string }): FakeAccount {
    const t = this.now();
    const acc: FakeAccount = {
      id: `acc-${this.#nextId++}`,
      issuer: '',
      username: '',
      url: '',
      notes: '',
      tags: [],
      icon: '',
      password: null,
      passwordChangedAt: null,
      history: [],
      otp: null,
      recovery: [],
      createdAt: t,
      updatedAt: t,
      ...partial,
    };
    if (acc.password && acc.passwordChangedAt === null) acc.passwordChangedAt = t;
    this.accounts.push(acc);
    return acc;
  }

  /** A scan result whose found items carry secrets the backend keeps (as Rust would). */
  queueScan(source: string, found: { name: string; issuer: string; account: string; secret: string; kind?: OtpKind }[], other: string[] = []): void {
    this.scans.push({
      source,
      other,
      problems: [],
      found: found.map((f, index) => ({
        index,
        name: f.name,
        issuer: f.issuer,
        account: f.account,
        kind: f.kind ?? 'totp',
        digits: 6,
        period: f.kind === 'hotp' ? null : 30,
        secret: f.secret,
      })) as unknown as ScanResult['found'],
    });
  }

  currentCode(id: string): CodeView {
    const acc = this.get(id);
    if (!acc.otp) fail('bad_input', 'this account has no MFA');
    return this.codeView(acc);
  }

  // ---- views ----------------------------------------------------------------------------------

  private get(id: unknown): FakeAccount {
    const acc = this.accounts.find((a) => a.id === id);
    if (!acc) fail('bad_input', `no account with id ${String(id)}`);
    return acc;
  }

  private milestones(acc: FakeAccount): Milestone[] {
    const reused = acc.password !== null && this.accounts.some((o) => o !== acc && o.password === acc.password);
    const strong = acc.password !== null && acc.password.length >= 12 && !reused;
    const young = acc.passwordChangedAt !== null && this.now() - acc.passwordChangedAt < 180 * 86400;
    const unused = acc.recovery.filter((r) => r.usedAt === null).length;
    return [
      { id: 'credentials', label: 'Credentials saved', met: !!acc.password, reason: acc.password ? null : 'No password saved' },
      { id: 'mfa', label: 'MFA on with an authenticator', met: !!acc.otp, reason: acc.otp ? null : 'No authenticator secret saved' },
      {
        id: 'recovery',
        label: 'Recovery codes saved',
        met: unused > 0,
        reason: unused > 0 ? null : acc.recovery.length ? 'All recovery codes are used' : 'No recovery codes saved',
      },
      {
        id: 'strong',
        label: 'Strong, unique password',
        met: strong,
        reason: strong ? null : !acc.password ? 'No password saved' : reused ? 'Used by another account' : 'Shorter than 12 characters',
      },
      {
        id: 'fresh',
        label: 'Password changed in the last 180 days',
        met: young,
        reason: young ? null : acc.password ? 'Older than 180 days' : 'No password saved',
      },
    ];
  }

  /** A stand-in for the core's zxcvbn estimate: common words are very weak, then length counts. */
  private strength(a: Record<string, unknown>): PasswordStrength {
    const labels = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'];
    const account = a.accountId ? this.get(a.accountId) : null;
    const password = a.password === null || a.password === undefined ? (account?.password ?? '') : String(a.password);
    const reasons: string[] = [];
    let score = password.length < 10 ? 1 : password.length < 14 ? 2 : password.length < 20 ? 3 : 4;
    if (!password || /^(password|qwerty|123456)/i.test(password)) {
      score = 0;
      if (password) reasons.push('This is a very common password.');
    }
    let label = labels[score];
    let good = score >= 3;
    if (a.master) {
      if (score === 3) label = 'Fair';
      good = score === 4;
      if (!good) reasons.push('A master password guards every other password, so it needs the top score.');
    } else if (this.unlocked && password) {
      const others = this.accounts.filter((o) => o !== account && o.password === password).map((o) => o.name);
      if (others.length) reasons.push(`Used by ${others.length === 1 ? '1 other account' : `${others.length} other accounts`}: ${others.join(', ')}.`);
    }
    return { score, label, good, reasons };
  }

  private card(acc: FakeAccount): AccountCard {
    const ms = this.milestones(acc);
    return {
      id: acc.id,
      name: acc.name,
      issuer: acc.issuer,
      username: acc.username,
      url: acc.url,
      tags: [...acc.tags],
      icon: acc.icon,
      hasPassword: acc.password !== null,
      mfa: acc.otp
        ? {
            kind: acc.otp.kind,
            algorithm: acc.otp.algorithm,
            digits: acc.otp.digits,
            period: acc.otp.kind === 'hotp' ? null : acc.otp.period,
            counter: acc.otp.kind === 'hotp' ? acc.otp.counter : null,
          }
        : null,
      recoveryUnused: acc.recovery.filter((r) => r.usedAt === null).length,
      recoveryUsed: acc.recovery.filter((r) => r.usedAt !== null).length,
      level: ms.filter((m) => m.met).length,
      levelMax: ms.length,
      updatedAt: acc.updatedAt,
      favourite: acc.favourite ?? false,
    };
  }

  private detail(acc: FakeAccount): AccountDetail {
    return {
      ...this.card(acc),
      notes: acc.notes,
      passwordChangedAt: acc.passwordChangedAt,
      passwordHistory: acc.history.map((retiredAt) => ({ retiredAt })),
      milestones: this.milestones(acc),
      // Position and state only, unused first (as Rust sends them).
      recovery: acc.recovery
        .map((r, index) => ({ index, usedAt: r.usedAt }))
        .sort((x, y) => Number(x.usedAt !== null) - Number(y.usedAt !== null)),
      createdAt: acc.createdAt,
    };
  }

  private codeView(acc: FakeAccount): CodeView {
    const otp = acc.otp!;
    if (otp.kind === 'hotp') {
      return { id: acc.id, code: fakeCode(otp, otp.counter), remaining: null, period: null, next: fakeCode(otp, otp.counter + 1), counter: otp.counter };
    }
    const t = this.now();
    const step = Math.floor(t / otp.period);
    return {
      id: acc.id,
      code: fakeCode(otp, step),
      remaining: otp.period - (t % otp.period),
      period: otp.period,
      next: fakeCode(otp, step + 1),
      counter: null,
    };
  }

  private log(what: string, description: string, acc: FakeAccount | null, detail = ''): void {
    this.events.push({
      id: `ev-${this.events.length + 1}`,
      at: this.now(),
      what,
      description,
      accountId: acc?.id ?? null,
      account: acc?.name ?? '',
      detail,
    });
  }

  private parseSecret(input: string, settings: OtpSettings): { otp: FakeOtp; warnings: string[] } {
    const text = input.trim();
    let otp: FakeOtp;
    if (/^otpauth:\/\//i.test(text)) {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        fail('bad_input', 'secret key: not a valid otpauth:// URI');
      }
      const kind = url.hostname.toLowerCase() as OtpKind;
      if (kind !== 'totp' && kind !== 'hotp') fail('bad_input', `otpauth: unknown type '${url.hostname}'`);
      const secret = url.searchParams.get('secret');
      if (!secret) fail('bad_input', 'otpauth: missing secret');
      otp = {
        kind,
        secret: parseBase32(secret),
        algorithm: (url.searchParams.get('algorithm')?.toUpperCase() as Algorithm) || 'SHA1',
        digits: Number(url.searchParams.get('digits') ?? 6),
        period: Number(url.searchParams.get('period') ?? 30),
        counter: Number(url.searchParams.get('counter') ?? 0),
      };
    } else {
      otp = { ...settings, secret: parseBase32(text) };
    }
    const warnings: string[] = [];
    if (otp.secret.length < 26) warnings.push('The key is shorter than 128 bits. Some services use short keys, but check that you copied all of it.');
    return { otp, warnings };
  }

  private requireUnlocked(): void {
    if (!this.unlocked) fail('locked', 'The vault is locked.');
  }

  private nextScan(source: string): ScanResult {
    const r = this.scans.shift() ?? { source, found: [], other: [], problems: [] };
    const secrets = r.found.map((f) => {
      const raw = f as unknown as { secret?: string; kind: OtpKind; digits: number; period: number | null };
      return {
        kind: raw.kind,
        algorithm: 'SHA1' as Algorithm,
        digits: raw.digits,
        period: raw.period ?? 30,
        counter: 0,
        secret: raw.secret ?? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      };
    });
    // What crosses the IPC boundary carries no secret.
    const view: ScanResult = {
      source: r.source || source,
      other: r.other,
      problems: r.problems,
      found: r.found.map(({ index, name, issuer, account, kind, digits, period }) => ({ index, name, issuer, account, kind, digits, period })),
    };
    this.lastScan = { ...view, secrets };
    return view;
  }

  private importFile(path: unknown): FakeImportFile {
    const f = this.importFiles[String(path)];
    if (!f)
      fail(
        'bad_input',
        'Keydeck does not recognise this file. It reads: Aegis, 2FAS, andOTP, FreeOTP, Authenticator Pro, Ente Auth, KeePass, Bitwarden, otpauth:// links',
      );
    return f;
  }

  private importItem(x: Partial<FakeAccount> & { name: string }): ImportItem {
    const issuer = x.issuer ?? '';
    return {
      label: issuer && issuer !== x.name ? `${issuer} (${x.name})` : x.name,
      name: x.name,
      issuer,
      username: x.username ?? '',
      url: x.url ?? '',
      tags: [...(x.tags ?? [])],
      hasPassword: !!x.password,
      otp: x.otp?.kind ?? null,
      recoveryCodes: x.recovery?.length ?? 0,
    };
  }

  private backupView(): BackupView {
    return { ...this.backup, backups: this.backups.map((b) => ({ ...b })) };
  }

  /** The open dialog's answer, as Rust's `picker::open_file` gives it. */
  private pick(): string | null {
    return (this.picks.length ? this.picks.shift() : this.pickedPath) ?? null;
  }

  private openBackup(a: Record<string, unknown>): FakeBackupFile {
    if (typeof a.name === 'string') {
      const listed = this.backups.find((b) => b.name === a.name);
      if (!listed) fail('bad_input', `There is no backup named ${a.name} any more.`);
      this.chosen.backup = listed.path;
    }
    const path = this.chosen.backup;
    if (!path) fail('bad_input', 'Choose the backup file first.');
    const b = this.backupFiles[path];
    if (!b) fail('bad_input', `${baseName(path)}: not a Keydeck vault`);
    if (a.password !== b.password) fail('wrong_password', 'wrong password');
    return b;
  }

  // ---- the command handler ---------------------------------------------------------------------

  async handle(cmd: string, rawArgs: unknown): Promise<unknown> {
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    this.calls.push({ cmd, args: structuredClone(args) });
    if (this.latency) await new Promise((r) => setTimeout(r, this.latency));
    return this.dispatch(cmd, args);
  }

  private dispatch(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'backup_choose_folder':
        return this.pick();
      case 'restore_choose': {
        const p = this.pick();
        if (p) this.chosen.backup = p;
        return p && baseName(p);
      }
      case 'restore_inspect': {
        const b = this.openBackup(a);
        return { at: b.at, accounts: b.accounts.length } satisfies RestoreInfo;
      }
      case 'restore_apply': {
        const b = this.openBackup(a);
        this.accounts = [];
        for (const acc of b.accounts) this.addAccount({ ...acc });
        this.masterPassword = b.password;
        this.exists = true;
        this.unlocked = false;
        this.lastScan = null;
        this.pendingImport = null;
        return null;
      }
      case 'vault_status':
        return {
          exists: this.exists,
          unlocked: this.unlocked,
          path: this.path,
          keychain: this.keychain !== 'off',
        } satisfies VaultStatus;
      case 'vault_unlock_keychain':
        if (this.keychain === 'off') fail('bad_input', 'keychain: keychain unlock is not turned on for this vault');
        if (this.keychain === 'broken') fail('keychain', this.keychainProblem);
        this.unlocked = true;
        this.log('unlocked', 'Vault unlocked', null);
        return null;
      case 'vault_create':
        if (this.exists) fail('bad_input', 'A vault already exists.');
        this.exists = true;
        this.unlocked = true;
        this.masterPassword = String(a.password);
        return null;
      case 'vault_unlock':
        if (a.password !== this.masterPassword) fail('wrong_password', 'wrong password');
        this.unlocked = true;
        this.log('unlocked', 'Vault unlocked', null);
        return null;
      case 'vault_unlock_prepare':
        return null;
      case 'vault_lock':
        this.unlocked = false;
        this.lastScan = null;
        return null;
      case 'activity':
        this.activityCount += 1;
        return null;
      case 'settings_get':
        return { ...this.settings };
      case 'settings_notice_take': {
        const notice = this.settingsNotice;
        this.settingsNotice = null;
        return notice;
      }
      case 'settings_set': {
        const s = a.settings as Settings;
        if (!(s.autoLockMinutes >= 1 && s.autoLockMinutes <= 1440)) fail('bad_input', 'Auto-lock takes 1 to 1440 minutes.');
        if (!(s.clipboardClearSeconds >= 5 && s.clipboardClearSeconds <= 600))
          fail('bad_input', 'Clipboard clearing takes 5 to 600 seconds.');
        this.settings = { ...s };
        return null;
      }
      case 'password_strength':
        return this.strength(a);
      case 'master_password_change':
        this.requireUnlocked();
        if (a.current !== this.masterPassword) fail('wrong_password', 'wrong password');
        this.masterPassword = String(a.next);
        return null;
    }
    this.requireUnlocked();
    switch (cmd) {
      case 'keychain_status':
        return {
          enabled: this.keychain !== 'off',
          works: this.keychain === 'works',
          problem: this.keychain === 'broken' ? this.keychainProblem : null,
        } satisfies KeychainState;
      case 'keychain_enable':
        if (a.masterPassword !== this.masterPassword) fail('wrong_password', 'That master password is not correct.');
        this.keychain = 'works';
        return null;
      case 'keychain_disable':
        this.keychain = 'off';
        return null;
      case 'accounts_list':
        return this.accounts.map((acc) => this.card(acc));
      case 'account_get':
        return this.detail(this.get(a.id));
      case 'account_add': {
        const input = a.input as AccountInput;
        if (!input?.name?.trim()) fail('bad_input', 'name: must not be empty');
        const acc = this.addAccount({ ...input });
        this.log('added', 'Account added', acc);
        return acc.id;
      }
      case 'account_add_with_otp': {
        // As Rust: the account and its authenticator together, or nothing.
        const input = a.input as AccountInput;
        let otp: FakeOtp;
        let warnings: string[] = [];
        let issuer = '';
        if (a.scanIndex !== undefined) {
          const found = this.lastScan?.secrets[Number(a.scanIndex)];
          this.lastScan = null;
          if (!found) fail('bad_input', 'That scan result is gone. Scan the QR code again.');
          otp = { ...found };
        } else {
          ({ otp, warnings } = this.parseSecret(String(a.secret ?? ''), a.settings as OtpSettings));
          const text = String(a.secret ?? '').trim();
          if (/^otpauth:\/\//i.test(text)) issuer = new URL(text).searchParams.get('issuer') ?? '';
        }
        const name = input.name.trim() || issuer;
        if (!name) fail('bad_input', 'Give the account a name, for example the service: “GitHub”.');
        const acc = this.addAccount({ ...input, name, issuer: input.issuer || issuer, otp });
        this.log('added', 'Account added', acc);
        return { id: acc.id, name, warnings };
      }
      case 'account_update': {
        const acc = this.get(a.id);
        Object.assign(acc, a.input as AccountInput, { updatedAt: this.now() });
        return null;
      }
      case 'account_remove': {
        const acc = this.get(a.id);
        this.accounts = this.accounts.filter((x) => x.id !== a.id);
        this.trash.push({ ...acc, deletedAt: this.now() });
        return null;
      }
      case 'account_favourite': {
        const acc = this.get(a.id);
        acc.favourite = Boolean(a.on);
        return null;
      }
      case 'trash_list':
        return [...this.trash]
          .sort((x, y) => y.deletedAt - x.deletedAt)
          .map((t) => ({
            id: t.id,
            name: t.name,
            issuer: t.issuer,
            username: t.username,
            deletedAt: t.deletedAt,
            purgeAt: t.deletedAt + 30 * 86400,
          }) satisfies TrashEntry);
      case 'trash_restore': {
        const t = this.trash.find((x) => x.id === a.id);
        if (!t) fail('bad_input', `account not found: '${String(a.id)}'`);
        this.trash = this.trash.filter((x) => x.id !== a.id);
        const { deletedAt: _, ...acc } = t;
        this.accounts.push(acc);
        return null;
      }
      case 'trash_delete':
        if (!this.trash.some((x) => x.id === a.id)) fail('bad_input', `account not found: '${String(a.id)}'`);
        this.trash = this.trash.filter((x) => x.id !== a.id);
        return null;
      case 'trash_empty': {
        const n = this.trash.length;
        this.trash = [];
        return n;
      }
      case 'password_set':
      case 'password_generate_and_set': {
        const acc = this.get(a.id);
        let next: string;
        if (cmd === 'password_set') {
          next = String(a.password ?? '');
          if (!next) fail('bad_input', 'password: must not be empty');
        } else {
          const o = a.options as PasswordOptions;
          const pool = [o.lowercase && 'abcdefghijkmnopqrstuvwxyz', o.uppercase && 'ABCDEFGHJKLMNPQRSTUVWXYZ', o.digits && '23456789', o.symbols && '!@#$%^&*-_']
            .filter(Boolean)
            .join('');
          if (!pool) fail('bad_input', 'options: no character classes');
          next = Array.from({ length: o.length }, (_, i) => pool[hash(`${acc.id}${i}${this.now()}`) % pool.length]).join('');
        }
        if (acc.password !== null) acc.history.push(this.now());
        acc.password = next;
        acc.passwordChangedAt = this.now();
        acc.updatedAt = this.now();
        this.log('password_rotated', 'Password changed', acc);
        return null;
      }
      case 'password_reveal': {
        const acc = this.get(a.id);
        if (acc.password === null) fail('bad_input', 'no password saved');
        return acc.password;
      }
      case 'username_copy': {
        const acc = this.get(a.id);
        if (!acc.username) fail('bad_input', `${acc.name} has no username saved.`);
        this.clipboard = acc.username;
        return null;
      }
      case 'open_website': {
        const acc = this.get(a.id);
        if (!/^https?:\/\/[^/\s]/.test(acc.url)) fail('bad_input', `“${acc.url}” is not a web address.`);
        this.opened.push(acc.url);
        return null;
      }
      case 'password_copy':
        this.clipboard = this.get(a.id).password;
        return null;
      case 'codes_now':
        return this.accounts.filter((acc) => acc.otp && acc.otp.kind !== 'hotp').map((acc) => this.codeView(acc));
      case 'code_copy': {
        const acc = this.get(a.id);
        if (!acc.otp) fail('bad_input', 'this account has no MFA');
        const view = this.codeView(acc);
        // As Rust does: under 5 s left, the next code.
        const next = view.remaining !== null && view.remaining < 5;
        this.clipboard = next ? view.next : view.code;
        this.log('code_copied', 'Code copied', acc);
        return { next, remaining: view.remaining };
      }
      case 'hotp_next': {
        const acc = this.get(a.id);
        if (acc.otp?.kind !== 'hotp') fail('bad_input', 'not a HOTP account');
        acc.otp.counter += 1;
        return this.codeView(acc);
      }
      case 'otp_save': {
        const acc = this.get(a.id);
        const { otp, warnings } = this.parseSecret(String(a.input ?? ''), a.settings as OtpSettings);
        acc.otp = otp;
        acc.updatedAt = this.now();
        this.log('mfa_on', 'MFA turned on', acc);
        return { code: this.codeView(acc), warnings } satisfies SavedCode;
      }
      case 'otp_save_scanned': {
        const acc = this.get(a.id);
        // As in Rust: a scan's secrets are kept only until one of them is saved.
        const secret = this.lastScan?.secrets[Number(a.index)];
        this.lastScan = null;
        if (!secret) fail('bad_input', 'that scan result is gone; scan again');
        acc.otp = { ...secret };
        acc.updatedAt = this.now();
        this.log('mfa_on', 'MFA turned on', acc, 'from a QR code');
        return { code: this.codeView(acc), warnings: [] } satisfies SavedCode;
      }
      case 'otp_remove': {
        const acc = this.get(a.id);
        acc.otp = null;
        this.log('mfa_off', 'MFA turned off', acc);
        return null;
      }
      case 'otp_qr_svg':
        if (a.password !== this.masterPassword) fail('wrong_password', 'wrong password');
        this.get(a.id);
        return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" shape-rendering="crispEdges"><rect width="21" height="21" fill="#fff"/><path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0zM9 9h3v3H9z" fill="#000"/></svg>';
      case 'scan_choose': {
        const p = this.pick();
        return p && this.nextScan(baseName(p));
      }
      case 'scan_dropped': {
        const p = this.chosen.dropped;
        this.chosen.dropped = null;
        if (!p) fail('bad_input', 'Drop the image on the window again.');
        return this.nextScan(baseName(p));
      }
      case 'scan_clipboard':
        return this.nextScan('clipboard');
      case 'scan_screen':
        return this.nextScan('screen');
      case 'scan_bytes':
        if (!Array.isArray(a.bytes)) fail('bad_input', 'bytes: expected an array');
        return this.nextScan(String(a.name));
      case 'recovery_add': {
        const acc = this.get(a.id);
        const result: RecoveryAdded = { added: 0, duplicates: 0, ignoredLines: [], unused: 0, used: 0 };
        String(a.text)
          .split(/\r?\n/)
          .forEach((line, i) => {
            const code = line.replace(/^\s*\d+[.)]\s+/, '').trim();
            if (!code) return;
            if (!/^[A-Za-z0-9-]{6,}$/.test(code)) {
              result.ignoredLines.push(i + 1);
              return;
            }
            if (acc.recovery.some((r) => r.code === code)) {
              result.duplicates += 1;
              return;
            }
            acc.recovery.push({ code, usedAt: null });
            result.added += 1;
          });
        result.unused = acc.recovery.filter((r) => r.usedAt === null).length;
        result.used = acc.recovery.length - result.unused;
        return result;
      }
      case 'recovery_reveal': {
        const r = this.get(a.id).recovery[Number(a.index)];
        if (!r) fail('bad_input', 'no such recovery code');
        return r.code;
      }
      case 'recovery_copy': {
        const r = this.get(a.id).recovery[Number(a.index)];
        if (!r) fail('bad_input', 'no such recovery code');
        this.clipboard = r.code;
        return null;
      }
      case 'recovery_mark_used': {
        const acc = this.get(a.id);
        const r = acc.recovery[Number(a.index)];
        if (!r) fail('bad_input', 'no such recovery code');
        if (r.usedAt !== null) fail('bad_input', 'recovery code already used');
        r.usedAt = this.now();
        this.log('recovery_used', 'Recovery code used', acc);
        return acc.recovery.filter((x) => x.usedAt === null).length;
      }
      case 'recovery_unmark': {
        const acc = this.get(a.id);
        const r = acc.recovery[Number(a.index)];
        if (!r || r.usedAt === null) fail('bad_input', `Recovery code number ${Number(a.index) + 1} is not marked used.`);
        r.usedAt = null;
        this.log('recovery_unmarked', 'Recovery code marked unused again', acc);
        return acc.recovery.filter((x) => x.usedAt === null).length;
      }
      case 'recovery_replace': {
        const acc = this.get(a.id);
        const codes = String(a.text)
          .split(/\r?\n/)
          .map((line) => line.replace(/^\s*\d+[.)]\s+/, '').trim())
          .filter((c) => /^[A-Za-z0-9-]{6,}$/.test(c));
        if (codes.length === 0) fail('bad_input', 'No recovery codes were found in the text.');
        acc.recovery = codes.map((code) => ({ code, usedAt: null }));
        this.log('recovery_replaced', 'Recovery codes replaced', acc);
        return { added: codes.length, duplicates: 0, ignoredLines: [], unused: codes.length, used: 0 } satisfies RecoveryAdded;
      }
      case 'recovery_reveal_all':
      case 'recovery_copy_all':
      case 'recovery_print': {
        if (a.masterPassword !== this.masterPassword) fail('wrong_password', 'That master password is not correct.');
        const acc = this.get(a.id);
        const codes = acc.recovery
          .map((r, index) => ({ index, code: r.code, used: r.usedAt !== null }))
          .sort((x, y) => Number(x.used) - Number(y.used))
          .filter((r) => a.includeUsed || !r.used);
        if (cmd === 'recovery_print') {
          const path = this.savePath;
          if (path === null) return null;
          this.exported[path] = { format: 'pdf', filePassword: null, accounts: 1 };
          return path;
        }
        if (codes.length === 0) fail('bad_input', `${acc.name} has no unused recovery codes.`);
        if (cmd === 'recovery_copy_all') {
          this.clipboard = codes.map((c) => c.code).join('\n');
          return codes.length;
        }
        return codes.map(({ index, code }) => ({ index, code }));
      }
      case 'events_list':
        return this.events.filter((e) => a.id === null || e.accountId === a.id);
      case 'import_choose': {
        const p = this.pick();
        if (!p) return null;
        this.pendingImport = null;
        this.chosen.import = p;
        this.chosen.keyfile = null;
        return baseName(p);
      }
      case 'import_choose_keyfile': {
        const p = this.pick();
        if (p) this.chosen.keyfile = p;
        return p && baseName(p);
      }
      case 'import_inspect': {
        const f = this.importFile(this.chosen.import);
        return {
          format: f.format,
          description: f.description,
          encrypted: f.password !== undefined,
          takesKeyfile: f.format === 'kdbx',
        } satisfies ImportInspect;
      }
      case 'import_preview': {
        const f = this.importFile(this.chosen.import);
        const keyfile = a.keyfile ? (this.chosen.keyfile ?? undefined) : undefined;
        if (f.password !== undefined) {
          if (!a.filePassword && !keyfile) fail('wrong_password', `this ${f.description} needs its password`);
          if ((a.filePassword ?? '') !== f.password || keyfile !== f.keyfile)
            fail('wrong_password', `wrong password for this ${f.description}`);
        }
        const same = (x: { name: string; issuer?: string; username?: string }) =>
          this.accounts.some((o) => o.name === x.name && o.issuer === (x.issuer ?? '') && o.username === (x.username ?? ''));
        const toAdd = f.accounts.filter((x) => !same(x));
        const duplicates = f.accounts.filter((x) => same(x));
        this.pendingImport = { path: String(this.chosen.import), toAdd };
        return {
          description: f.description,
          toAdd: toAdd.map((x) => this.importItem(x)),
          duplicates: duplicates.map((x) => this.importItem(x)),
          problems: [...(f.problems ?? [])],
          warnings: [...(f.warnings ?? [])],
        } satisfies ImportPreview;
      }
      case 'import_confirm': {
        const p = this.pendingImport;
        this.pendingImport = null;
        if (!p || p.path !== this.chosen.import) fail('bad_input', 'nothing to import: preview the file again');
        for (const x of p.toAdd) this.addAccount({ ...x });
        this.log('imported', 'Accounts imported', null, `${p.toAdd.length} ${p.toAdd.length === 1 ? 'account' : 'accounts'}`);
        return p.toAdd.length;
      }
      case 'import_cancel':
        this.pendingImport = null;
        this.chosen.import = this.chosen.keyfile = null;
        return null;
      case 'export_formats':
        return FAKE_EXPORT_FORMATS.map((f) => ({ ...f }));
      case 'export_choose_and_write': {
        const format = FAKE_EXPORT_FORMATS.find((f) => f.name === a.format);
        if (!format) fail('bad_input', `unknown export format '${String(a.format)}'`);
        if (a.masterPassword !== this.masterPassword) fail('wrong_password', 'wrong password');
        const filePassword = (a.filePassword as string | null) || null;
        if (format.encrypted && !filePassword) fail('bad_input', `${format.name}: a file password is needed`);
        const path = this.savePath;
        if (path === null) return null;
        if (path in this.exported) fail('bad_input', `${path}: already exists; choose another name`);
        const accounts = this.accounts.length - this.exportSkipped.length;
        this.exported[path] = { format: format.name, filePassword, accounts };
        return { accounts, skipped: [...this.exportSkipped], description: format.description } satisfies ExportSummary;
      }
      case 'backup_get':
        return this.backupView();
      case 'backup_set': {
        const s = a.settings as BackupSettingsInput;
        if (!(Number.isInteger(s.keep) && s.keep >= 1 && s.keep <= 100)) fail('bad_input', 'keep: between 1 and 100');
        if (s.auto && !s.dir) fail('bad_input', 'backup folder: not set');
        this.backup = { ...this.backup, dir: s.dir, keep: s.keep, auto: s.auto };
        this.backups = this.backups.slice(0, s.keep);
        return this.backupView();
      }
      case 'backup_now': {
        if (this.backupFailure) fail('other', this.backupFailure);
        const at = this.now();
        const stamp = new Date(at * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
        const name = `keydeck-${stamp}.sqlite`;
        this.backups = [{ path: `${this.backup.dir}/${name}`, name, at, size: 40960 + this.accounts.length * 512 }, ...this.backups].slice(
          0,
          this.backup.keep,
        );
        this.backup = { ...this.backup, lastAt: at, lastError: null, pending: false };
        return this.backupView();
      }
      case 'desktop_settings_get':
        return this.desktop;
      case 'desktop_settings_set':
        this.desktop = { ...(a.settings as DesktopSettings), shortcutProblem: null, autostartProblem: null };
        return this.desktop;
      case 'quick_hide':
      case 'main_show':
        return null;
      default:
        fail('other', `unknown command ${cmd}`);
    }
  }
}
