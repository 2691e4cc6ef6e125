// SPDX-License-Identifier: GPL-3.0-or-later
// A deliberately simple client-side strength estimate (length and character classes) for hints.
// The vault's own checks (reuse, age) live in Rust and show up in the security checklist.

export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: string; hint: string; bits: number };

const LABELS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

export function estimateStrength(password: string): Strength {
  const chars = Array.from(password);
  if (chars.length === 0) return { score: 0, label: LABELS[0], hint: 'Type a password.', bits: 0 };
  let pool = 0;
  const lower = /[a-z]/.test(password);
  const upper = /[A-Z]/.test(password);
  const digit = /[0-9]/.test(password);
  const symbol = /[^A-Za-z0-9\s]/.test(password);
  const space = /\s/.test(password);
  if (lower) pool += 26;
  if (upper) pool += 26;
  if (digit) pool += 10;
  if (symbol) pool += 33;
  if (space) pool += 1;
  if (chars.some((c) => c.codePointAt(0)! > 0x7f)) pool += 100;
  const unique = new Set(chars).size;
  // Repeated characters add little: count each distinct character fully, repeats at a quarter.
  const effectiveLength = unique + (chars.length - unique) / 4;
  const bits = Math.round(effectiveLength * Math.log2(Math.max(pool, 2)));
  const score: Strength['score'] = bits < 28 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  const classes = [lower, upper, digit, symbol].filter(Boolean).length;
  let hint: string;
  if (score >= 4) hint = 'Hard to guess. Keep it somewhere only you can find.';
  else if (chars.length < 12) hint = 'Use at least 12 characters; a few random words work well.';
  else if (classes < 3) hint = 'Longer is better; mixing in capitals, digits or symbols helps too.';
  else hint = 'Add a few more characters or another random word.';
  return { score, label: LABELS[score], hint, bits };
}
