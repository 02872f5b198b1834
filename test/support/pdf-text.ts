import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The text of a PDF as a reader would copy it (poppler's `pdftotext`), lines and words as laid out. */
export function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'luotsi-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), bytes);
    return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Text to search: a PDF read back to text, its runs of spaces and line breaks made one space and a line
 * broken after a hyphen joined again (a phrase may wrap at any width); anything else as UTF-8.
 */
export const searchableText = (bytes: Buffer): string =>
  bytes.subarray(0, 5).toString('latin1') === '%PDF-'
    ? pdfText(bytes)
        .replace(/-\n\s*/g, '-')
        .replace(/\s+/g, ' ')
    : bytes.toString('utf8');
