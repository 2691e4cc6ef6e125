// SPDX-License-Identifier: GPL-3.0-or-later
import type { PasswordOptions } from './ipc';

export const DEFAULT_PASSWORD_OPTIONS: PasswordOptions = {
  length: 20,
  lowercase: true,
  uppercase: true,
  digits: true,
  symbols: true,
  avoidAmbiguous: false,
};

/** null when the options are usable, else what is wrong. */
export function checkPasswordOptions(o: PasswordOptions): string | null {
  if (!Number.isInteger(o.length) || o.length < 8 || o.length > 128) return 'Length must be between 8 and 128.';
  if (!o.lowercase && !o.uppercase && !o.digits && !o.symbols) return 'Choose at least one kind of character.';
  return null;
}
