// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the QR sources that arrive through the DOM (drag & drop of a File, paste).
import { IMAGE_EXTENSIONS, scanBytes, type IpcError, type ScanResult } from './ipc';

/** Largest image we send over IPC as bytes; Rust applies its own limits too. */
export const MAX_DROP_BYTES = 25 * 1024 * 1024;

export function isImageFile(file: File): boolean {
  if (file.type.startsWith('image/')) return true;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

export async function scanDroppedFile(file: File): Promise<ScanResult> {
  if (!isImageFile(file)) {
    throw { kind: 'bad_input', message: `${file.name} is not an image (PNG, JPEG, WebP, GIF or BMP).` } satisfies IpcError;
  }
  if (file.size > MAX_DROP_BYTES) {
    throw { kind: 'bad_input', message: `${file.name} is too large to scan.` } satisfies IpcError;
  }
  const bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
  return scanBytes(file.name, bytes);
}

/** Does this paste carry an image (or nothing textual that a field could take)? */
export function pasteHasImage(e: ClipboardEvent): boolean {
  const data = e.clipboardData;
  if (!data) return false;
  if (Array.from(data.files ?? []).some((f) => f.type.startsWith('image/'))) return true;
  if (Array.from(data.items ?? []).some((i) => i.kind === 'file' && i.type.startsWith('image/'))) return true;
  return Array.from(data.types ?? []).some((t) => t.startsWith('image/'));
}

export function pasteHasText(e: ClipboardEvent): boolean {
  const types = Array.from(e.clipboardData?.types ?? []);
  return types.includes('text/plain') || types.includes('text/uri-list');
}

/** One sentence describing a scan that found no authenticator. */
export function describeEmptyScan(result: ScanResult): string {
  const parts: string[] = [];
  if (result.other.length > 0) {
    parts.push(
      result.other.length === 1
        ? 'Found a QR code, but it is not an authenticator setup code.'
        : `Found ${result.other.length} QR codes, but none is an authenticator setup code.`,
    );
  } else {
    parts.push(`No QR code found in ${result.source || 'the image'}.`);
  }
  for (const p of result.problems) parts.push(p);
  return parts.join(' ');
}
