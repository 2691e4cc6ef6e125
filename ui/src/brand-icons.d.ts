// SPDX-License-Identifier: GPL-3.0-or-later
// Generated at build time by scripts/brand-icons.ts from the simple-icons package.
declare module 'virtual:brand-icons' {
  const icons: Record<string, [title: string, hex: string, path: string]>;
  export default icons;
}
