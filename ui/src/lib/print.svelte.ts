// SPDX-License-Identifier: GPL-3.0-or-later
// The print-only emergency sheet. Its recovery codes are revealed only after the user confirmed,
// kept only until printing is over, and dropped on lock.

export type SheetCode = { index: number; code: string; used: boolean };
export type SheetData = {
  account: string;
  issuer: string;
  username: string;
  codes: SheetCode[];
  printedAt: number;
};

class PrintSheet {
  data = $state<SheetData | null>(null);
  clear(): void {
    this.data = null;
  }
}

export const printSheet = new PrintSheet();
