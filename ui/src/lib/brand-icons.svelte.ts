// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled brand icons, loaded once and lazily: the icon chunk (~140 kB) is not part of the
// first paint. Until it arrives (or if it fails to load) cards show initials.
import { brandIndex, type BrandIndex, type BrandMap } from './brands';

class BrandIcons {
  map = $state.raw<BrandMap | null>(null);
  index: BrandIndex = new Map();
}

export const brandIcons = new BrandIcons();

let loading: Promise<void> | null = null;

export function loadBrandIcons(): Promise<void> {
  loading ??= import('virtual:brand-icons')
    .then((m) => {
      brandIcons.index = brandIndex(m.default);
      brandIcons.map = m.default;
    })
    .catch(() => {
      /* initials stay: icons are decoration */
    });
  return loading;
}
