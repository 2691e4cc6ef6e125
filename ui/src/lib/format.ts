// SPDX-License-Identifier: GPL-3.0-or-later
// Pure formatting helpers: code grouping, spoken labels, dates, tags.
import type { OtpKind } from './ipc';

/** Split a one-time code into the groups people read: 3+3, 4+4, 3+4, 5+5, 3+3+3; Steam as is. */
export function groupCode(code: string, kind?: OtpKind | null): string[] {
  if (!code) return [];
  if (kind === 'steam' || !/^[0-9]+$/.test(code) || code.length <= 5) return [code];
  if (code.length === 9) return [code.slice(0, 3), code.slice(3, 6), code.slice(6)];
  const first = Math.floor(code.length / 2);
  return [code.slice(0, first), code.slice(first)];
}

/** What a screen reader should say for a code: "4 1 2, 4 9 0". */
export function spokenCode(code: string, kind?: OtpKind | null): string {
  return groupCode(code, kind)
    .map((g) => g.split('').join(' '))
    .join(', ');
}

/** The code as displayed with spaces between groups (for plain-text contexts). */
export function displayCode(code: string, kind?: OtpKind | null): string {
  return groupCode(code, kind).join(' ');
}

export function secondsLabel(n: number): string {
  return n === 1 ? '1 second left' : `${n} seconds left`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 Mar 2026, 14:05" in the user's locale. */
export function formatDateTime(unix: number): string {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(unix: number): string {
  return new Date(unix * 1000).toLocaleDateString(undefined, { dateStyle: 'long' });
}

/** "just now", "5 minutes ago", "3 days ago". */
export function relativeTime(unix: number, nowMs: number = Date.now()): string {
  const diff = unix - Math.floor(nowMs / 1000);
  const abs = Math.abs(diff);
  if (abs < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['week', 7 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, secs] of units) {
    if (abs >= secs) return rtf.format(Math.round(diff / secs), unit);
  }
  return rtf.format(Math.round(diff / 60), 'minute');
}

/** "work, personal ,, Work" → ["work", "personal"] (trimmed, de-duplicated case-insensitively). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** First letter of a service name for the avatar circle. */
export function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toLocaleUpperCase() : '?';
}

const KIND_LABEL: Record<OtpKind, string> = { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam Guard' };
export function kindLabel(kind: OtpKind): string {
  return KIND_LABEL[kind];
}

/** "512 bytes", "34 KB", "1.2 MB" (powers of 1024, as file managers show). */
export function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${units[i]}`;
}

/** The last part of a path ("/home/a/aegis.json" → "aegis.json"; Windows paths too). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
