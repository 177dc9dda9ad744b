/**
 * Text from the other side (a collector's stderr, an agent's error body, an SSH server's messages) is
 * printed on the user's terminal and shown by the app: control characters could move the cursor, rewrite
 * earlier lines (ANSI escapes, CR) or reorder what is read (bidi overrides). Each one is escaped visibly:
 * C0 controls (except \n and \t when `multiline`), DEL, C1 controls, U+061C, U+200E/200F, U+202A-202E
 * and U+2066-2069 become `\xHH` or `\uHHHH`. An ANSI sequence is thereby defused: its ESC is shown as \x1b.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string, o: { multiline?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => {
    if (o.multiline && (c === '\n' || c === '\t')) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
