// SPDX-License-Identifier: GPL-3.0-or-later
// Brand icons for known issuers (pure functions; the icon data is loaded by brand-icons.svelte.ts).
// An account matches a simple-icons slug by its icon hint, issuer, name or website host:
// lower-cased, accents, spaces and punctuation dropped, with a few aliases ("Google Workspace",
// "Twitter"). Unknown accounts get initials in a colour picked from the name, which stays the same
// across runs and meets WCAG AA contrast in both themes.

/** slug → [title, hex colour without '#', SVG path on a 24×24 canvas] */
export type BrandMap = Record<string, readonly [string, string, string]>;

export interface Brand {
  slug: string;
  title: string;
  path: string;
  /** Fill on the light plate: the brand colour, or 'currentColor' when it would be too faint. */
  light: string;
  /** Fill on the dark plate. */
  dark: string;
}

/** Names people type that are not a simple-icons slug or title. */
const ALIASES: Record<string, string> = {
  googleworkspace: 'google',
  gsuite: 'google',
  googleaccount: 'google',
  youtubemusic: 'youtube',
  twitter: 'x',
  xcom: 'x',
  twittercom: 'x',
  meta: 'facebook',
  appleid: 'apple',
  icloudcom: 'icloud',
  protonme: 'proton',
  protonmailcom: 'protonmail',
  protonpass: 'proton',
  battlenet: 'battledotnet',
  blizzardbattlenet: 'battledotnet',
  epic: 'epicgames',
  epicgamesstore: 'epicgames',
  playstationnetwork: 'playstation',
  psn: 'playstation',
  sony: 'playstation',
  electronicarts: 'ea',
  eaapp: 'ea',
  riot: 'riotgames',
  leagueoflegends: 'riotgames',
  valve: 'steam',
  steampowered: 'steam',
  amex: 'americanexpress',
  bofa: 'bankofamerica',
  gitlabcom: 'gitlab',
  dockerhub: 'docker',
  npmjs: 'npm',
  fly: 'flydotio',
  flyio: 'flydotio',
  dropboxcom: 'dropbox',
};

// The surfaces the icon sits on (the avatar plate, --surface-2 in app.css), per theme.
export const PLATE_LIGHT = '#f0f2f5';
export const PLATE_DARK = '#21262e';
/** WCAG 2.1 1.4.11: graphics that identify something need 3:1 against what is next to them. */
const MIN_GRAPHIC_CONTRAST = 3;

/** Lower-case, accents, spaces and punctuation dropped: "Proton Mail" → "protonmail". */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/[^a-z0-9]/g, '');
}

export type BrandIndex = Map<string, string>;

/** Every key an account can match: slugs, titles and aliases, all normalised. */
export function brandIndex(map: BrandMap): BrandIndex {
  const index: BrandIndex = new Map();
  for (const [slug, [title]] of Object.entries(map)) {
    index.set(normalize(slug), slug);
    if (!index.has(normalize(title))) index.set(normalize(title), slug);
  }
  for (const [alias, slug] of Object.entries(ALIASES)) if (slug in map) index.set(alias, slug);
  return index;
}

/** The host of a URL or of a bare domain ("github.com/login"), lower-case, without "www.". */
export function hostOf(text: string): string {
  const t = text.trim().toLowerCase();
  if (!t || /\s/.test(t)) return '';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(t) ? t : `https://${t}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return '';
  }
  if (!host.includes('.')) return '';
  return host.replace(/^www\./, '');
}

/** Names a host stands for, most specific first: "accounts.google.co.uk" → google, googlecouk. */
function hostKeys(host: string): string[] {
  const labels = host.split('.');
  const keys = [normalize(host)];
  // The registrable label: the one before the public suffix ("co.uk"-style suffixes included).
  const secondLevel = labels.length >= 3 && /^(co|com|org|net|ac|gov|ne|or)$/.test(labels[labels.length - 2]);
  const main = labels[labels.length - (secondLevel ? 3 : 2)];
  if (main) keys.push(normalize(`${main}.${labels.slice(labels.length - (secondLevel ? 2 : 1)).join('.')}`), normalize(main));
  return keys;
}

/** The slug for this account, or null. `icon` is the free-text icon hint stored with the account. */
export function matchBrand(
  account: { name: string; issuer?: string; url?: string; icon?: string },
  index: BrandIndex,
): string | null {
  const texts = [account.icon ?? '', account.issuer ?? '', account.name];
  for (const text of texts) {
    const key = normalize(text);
    if (key && index.has(key)) return index.get(key) ?? null;
  }
  // A text that is a domain ("github.com"), then the website's host.
  for (const text of [...texts, account.url ?? '']) {
    const host = hostOf(text);
    if (!host) continue;
    for (const key of hostKeys(host)) if (index.has(key)) return index.get(key) ?? null;
  }
  // "GitHub (work)", "Google – personal", "GitLab Enterprise": the first word, when what follows
  // is set apart or only qualifies it ("Apple Pie Bakery" is not Apple).
  for (const text of texts) {
    const m = /^\s*([^\s(\[–—:|/-]+)(.*)$/.exec(text);
    if (!m) continue;
    const first = normalize(m[1]);
    const rest = m[2].trim();
    const qualifies =
      /^[(\[–—:|/-]/.test(rest) || rest.split(/\s+/).every((w) => QUALIFIERS.has(normalize(w)) || /^\d+$/.test(w));
    if (first.length >= 3 && qualifies && index.has(first)) return index.get(first) ?? null;
  }
  return null;
}

/** Words that name an account of a service rather than another service. */
const QUALIFIERS = new Set([
  'work', 'personal', 'private', 'business', 'enterprise', 'account', 'admin', 'test', 'dev', 'prod',
  'staging', 'old', 'new', 'backup', 'main', 'alt', 'family', 'team', 'school', 'org', 'login', 'id',
]);

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/./g, '$&$&') : h, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** WCAG contrast ratio of two colours, 1–21. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The brand for this account with theme-safe fills, or null. */
export function brandFor(
  account: { name: string; issuer?: string; url?: string; icon?: string },
  map: BrandMap,
  index: BrandIndex,
): Brand | null {
  const slug = matchBrand(account, index);
  const entry = slug ? map[slug] : undefined;
  if (!slug || !entry) return null;
  const [title, hex, path] = entry;
  const colour = `#${hex}`;
  return {
    slug,
    title,
    path,
    light: contrast(colour, PLATE_LIGHT) >= MIN_GRAPHIC_CONTRAST ? colour : 'currentColor',
    dark: contrast(colour, PLATE_DARK) >= MIN_GRAPHIC_CONTRAST ? colour : 'currentColor',
  };
}

/** Up to two letters: "Unknown Corp" → "UC", "github" → "G", "" → "?". */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._@-]+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return '?';
  const first = (w: string) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '';
  const letters = words.length === 1 ? first(words[0]) : first(words[0]) + first(words[1]);
  return letters.toLocaleUpperCase();
}

export interface Tone {
  light: { bg: string; fg: string };
  dark: { bg: string; fg: string };
}

/**
 * Initials colours: twelve hues. Light theme: pale plate, deep letters; dark theme: deep plate,
 * pale letters. Every pair has at least 4.5:1 contrast (tested).
 */
export const TONES: readonly Tone[] = [
  { light: { bg: '#fde2e1', fg: '#9b1c17' }, dark: { bg: '#4a1d1b', fg: '#ffc9c5' } },
  { light: { bg: '#fde6d3', fg: '#8a3b00' }, dark: { bg: '#4a2a12', fg: '#ffd2ad' } },
  { light: { bg: '#fbefc6', fg: '#6e4f00' }, dark: { bg: '#433612', fg: '#f7e09a' } },
  { light: { bg: '#e6f2cc', fg: '#3f5f00' }, dark: { bg: '#2d3d14', fg: '#d3ec9e' } },
  { light: { bg: '#d8f3df', fg: '#17663a' }, dark: { bg: '#163c24', fg: '#a9e9bb' } },
  { light: { bg: '#d3f1ee', fg: '#0b6158' }, dark: { bg: '#123b37', fg: '#9fe5dc' } },
  { light: { bg: '#d6ecfa', fg: '#0d5788' }, dark: { bg: '#14324a', fg: '#acd8f7' } },
  { light: { bg: '#dfe6fd', fg: '#2b45b5' }, dark: { bg: '#1e2950', fg: '#bfcbff' } },
  { light: { bg: '#e8e1fc', fg: '#5330b0' }, dark: { bg: '#2f2352', fg: '#d5c8ff' } },
  { light: { bg: '#f4dff9', fg: '#7d2596' }, dark: { bg: '#3e1e4a', fg: '#ecc4f8' } },
  { light: { bg: '#fbdcec', fg: '#962061' }, dark: { bg: '#4a1a33', fg: '#fdc2df' } },
  { light: { bg: '#e5e8ec', fg: '#3b4451' }, dark: { bg: '#2c323b', fg: '#d2d8e0' } },
];

/** A stable tone for a name (FNV-1a over the normalised name). */
export function toneFor(name: string): Tone {
  let h = 0x811c9dc5;
  for (const ch of normalize(name) || name) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return TONES[h % TONES.length];
}
