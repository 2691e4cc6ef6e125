// SPDX-License-Identifier: GPL-3.0-or-later
import icons from 'virtual:brand-icons';
import { describe, expect, test } from 'vitest';
import { BRAND_SLUGS } from '../lib/brand-slugs';
import {
  brandFor,
  brandIndex,
  contrast,
  hostOf,
  initials,
  matchBrand,
  normalize,
  PLATE_DARK,
  PLATE_LIGHT,
  TONES,
  toneFor,
} from '../lib/brands';

const index = brandIndex(icons);
const match = (a: { name: string; issuer?: string; url?: string; icon?: string }) => matchBrand(a, index);

describe('bundled icons', () => {
  test('every listed slug is in the generated map, with a title, colour and path', () => {
    expect(Object.keys(icons).sort()).toEqual([...BRAND_SLUGS].sort());
    const [title, hex, path] = icons.github;
    expect(title).toBe('GitHub');
    expect(hex).toMatch(/^[0-9A-F]{6}$/i);
    expect(path).toMatch(/^M/);
  });
});

describe('matchBrand', () => {
  test('names, issuers and icon hints, normalised', () => {
    expect(match({ name: 'GitHub' })).toBe('github');
    expect(match({ name: 'github' })).toBe('github');
    expect(match({ name: 'Work', issuer: 'GitLab' })).toBe('gitlab');
    expect(match({ name: 'Proton Mail' })).toBe('protonmail');
    expect(match({ name: 'PROTON-MAIL' })).toBe('protonmail');
    expect(match({ name: 'Battle.net' })).toBe('battledotnet');
    expect(match({ name: 'Something', icon: 'steam' })).toBe('steam');
    expect(match({ name: 'Déezer' })).toBe('deezer');
  });

  test('aliases', () => {
    expect(match({ name: 'Google Workspace' })).toBe('google');
    expect(match({ name: 'Twitter' })).toBe('x');
    expect(match({ name: 'X' })).toBe('x');
    expect(match({ name: 'PSN' })).toBe('playstation');
    expect(match({ name: 'Electronic Arts' })).toBe('ea');
  });

  test('website hosts and names that are domains', () => {
    expect(match({ name: 'My code host', url: 'https://github.com/login' })).toBe('github');
    expect(match({ name: 'Mail', url: 'accounts.google.com' })).toBe('google');
    expect(match({ name: 'Shop', url: 'https://www.ebay.co.uk/signin' })).toBe('ebay');
    expect(match({ name: 'reddit.com' })).toBe('reddit');
    expect(match({ name: 'x.com' })).toBe('x');
  });

  test('a first word with a qualifier, but not a different business', () => {
    expect(match({ name: 'GitHub (work)' })).toBe('github');
    expect(match({ name: 'Google – personal' })).toBe('google');
    expect(match({ name: 'GitLab Enterprise' })).toBe('gitlab');
    expect(match({ name: 'Steam 2' })).toBe('steam');
    expect(match({ name: 'Apple Pie Bakery' })).toBeNull();
    expect(match({ name: 'Box Office Tickets' })).toBeNull();
  });

  test('unknown accounts match nothing', () => {
    expect(match({ name: 'Unknown Corp' })).toBeNull();
    expect(match({ name: '' })).toBeNull();
    expect(match({ name: 'Intranet', url: 'https://intranet.example.org' })).toBeNull();
    expect(match({ name: 'Local', url: 'file:///etc/passwd' })).toBeNull();
  });
});

describe('helpers', () => {
  test('normalize and hostOf', () => {
    expect(normalize(' Proton Mail! ')).toBe('protonmail');
    expect(normalize('Google+')).toBe('googleplus');
    expect(hostOf('https://www.GitHub.com/login')).toBe('github.com');
    expect(hostOf('github.com/login')).toBe('github.com');
    expect(hostOf('GitHub')).toBe('');
    expect(hostOf('not a host.com')).toBe('');
  });

  test('initials: up to two letters', () => {
    expect(initials('Unknown Corp')).toBe('UC');
    expect(initials('github')).toBe('G');
    expect(initials('ändern konto')).toBe('ÄK');
    expect(initials('  ')).toBe('?');
    expect(initials('(my) bank')).toBe('MB');
  });
});

describe('colours', () => {
  test('every initials tone meets WCAG AA (4.5:1) in both themes', () => {
    for (const t of TONES) {
      expect(contrast(t.light.fg, t.light.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.dark.fg, t.dark.bg)).toBeGreaterThanOrEqual(4.5);
    }
  });

  test('the tone follows the name: same name, same tone; names spread over the palette', () => {
    expect(toneFor('Unknown Corp')).toBe(toneFor('Unknown Corp'));
    expect(toneFor('Unknown Corp')).toBe(toneFor('unknown corp'));
    const names = Array.from({ length: 40 }, (_, i) => `Service ${i}`);
    expect(new Set(names.map(toneFor)).size).toBeGreaterThanOrEqual(8);
  });

  test('brand colours too faint for a theme fall back to the text colour', () => {
    const gh = brandFor({ name: 'GitHub' }, icons, index)!;
    expect(gh.light).toBe(`#${icons.github[1]}`); // near-black on the light plate: fine
    expect(gh.dark).toBe('currentColor'); // near-black on the dark plate: too faint
    const snap = brandFor({ name: 'Snapchat' }, icons, index)!;
    expect(snap.light).toBe('currentColor'); // yellow on light
    expect(snap.dark).toBe(`#${icons.snapchat[1]}`);
    // Every bundled icon is either visible (3:1) or uses the text colour, on both plates.
    for (const slug of BRAND_SLUGS) {
      const b = brandFor({ name: slug }, icons, index)!;
      expect(b.slug).toBe(slug);
      if (b.light !== 'currentColor') expect(contrast(b.light, PLATE_LIGHT)).toBeGreaterThanOrEqual(3);
      if (b.dark !== 'currentColor') expect(contrast(b.dark, PLATE_DARK)).toBeGreaterThanOrEqual(3);
    }
  });
});
