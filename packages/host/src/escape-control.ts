// Text a plugin controls (its name from package.json, its error messages, the lines it prints,
// the answers it returns) reaches a person's terminal through the CLI and the stderr logger. A
// terminal obeys what it is sent: ESC starts a sequence that can recolour, move the cursor, retitle
// the window or (OSC 52) write the clipboard; \r and backspace overwrite what was printed, so a
// plugin could hide an error or forge an "ok"; C1 controls (U+0080–U+009F) are ESC to many
// terminals; bidi overrides reorder what is shown (Trojan Source, CVE-2021-42574). So every such
// character is shown as a visible escape instead of being obeyed.
//
// Written here rather than taken from a library: strip-ansi removes only well-formed ANSI
// sequences (a lone ESC, \r, C1 and bidi pass through), and jsesc escapes far more than controls
// (every non-ASCII character), which would mangle ordinary names such as "¡Hola".

/**
 * What is escaped: C0 controls, DEL and C1 controls; the Unicode bidi marks, embeddings, overrides
 * and isolates; and the line and paragraph separators, which some terminals and editors break on.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface EscapeOptions {
  /**
   * Control characters to leave as they are: `'\n\t'` for multi-line text such as an answer the
   * CLI prints, where the lines are the value. Default: none, for anything that must stay on one
   * line (a name, a log message), so that an embedded newline cannot forge a line of its own.
   */
  readonly keep?: string;
}

/**
 * Makes text safe to write to a terminal: each control character becomes a visible escape
 * (`\x1b`, `\r`, `\u202e`); everything else, backslashes included, is left alone, so ordinary
 * text and Windows paths read as they are.
 * @example escapeControl('ok\x1b[2K\rFAIL') // 'ok\\x1b[2K\\rFAIL'
 */
export function escapeControl(text: string, options: EscapeOptions = {}): string {
  const keep = options.keep ?? '';
  return text.replace(CONTROL, (c) => (keep.includes(c) ? c : (NAMED[c] ?? hex(c))));
}

/** Whether `text` holds anything escapeControl would change (with nothing kept). */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/**
 * JSON text safe for a terminal and still the same JSON: JSON.stringify already writes C0
 * controls as `\u00XX`, but passes DEL, C1 and bidi characters through raw; inside JSON they can
 * only occur in strings, where `\uXXXX` means the same character, so parsing gives the same value.
 */
export function escapeJsonControl(json: string): string {
  return json.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function hex(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
