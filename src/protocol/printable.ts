/**
 * Text as it may be printed or rendered. A target's error text or a user's flag can hold escape sequences (clear
 * the screen, recolour, retitle the window) or newlines that fake a line of our own, such as a PASS. Every line
 * printed goes through here, and the text reports render it: secrets redacted, control characters shown as escapes
 * instead of obeyed.
 */
import { redact } from './redact.ts';

/** C0 (but tab and newline), DEL, C1 (ESC's 8-bit twin CSI included), and the bidirectional overrides. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

function escaped(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line: secrets redacted, every control character escaped, newlines included (a log line stays one line). */
export function printableLine(text: string): string {
  return redact(text).replace(CONTROL_OR_NEWLINE, escaped);
}

/** Several lines (the end-of-run summary): as `printableLine`, but newlines are kept. */
export function printableText(text: string): string {
  return redact(text).replace(CONTROL, escaped);
}
