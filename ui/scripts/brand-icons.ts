// SPDX-License-Identifier: GPL-3.0-or-later
// Vite plugin: `virtual:brand-icons` is a map slug → [title, hex, SVG path] for the slugs in
// src/lib/brand-slugs.ts, generated at build time from the simple-icons npm package (CC0).
// Nothing is fetched from the network and nothing generated is committed. The UI imports the
// module lazily, so the icon data is a chunk of its own that does not delay the first paint.
import type { Plugin } from 'vite';
import { BRAND_SLUGS } from '../src/lib/brand-slugs';

const ID = 'virtual:brand-icons';
const RESOLVED = '\0' + ID;

interface SimpleIcon {
  title: string;
  slug: string;
  hex: string;
  path: string;
}

export function brandIcons(): Plugin {
  return {
    name: 'keydeck-brand-icons',
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const all = (await import('simple-icons')) as unknown as Record<string, SimpleIcon | undefined>;
      const bySlug = new Map<string, SimpleIcon>();
      for (const icon of Object.values(all)) if (icon && typeof icon === 'object' && icon.slug) bySlug.set(icon.slug, icon);
      const map: Record<string, [string, string, string]> = {};
      const missing: string[] = [];
      for (const slug of BRAND_SLUGS) {
        const icon = bySlug.get(slug);
        if (icon) map[slug] = [icon.title, icon.hex, icon.path];
        else missing.push(slug);
      }
      if (missing.length) this.error(`simple-icons has no icon for: ${missing.join(', ')} (src/lib/brand-slugs.ts)`);
      // JSON.parse of a string literal is faster to load than the same object literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(map))});`;
    },
  };
}
