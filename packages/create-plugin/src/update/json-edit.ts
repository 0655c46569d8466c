import { applyEdits, type FormattingOptions, modify, type ParseError, parse } from 'jsonc-parser';

/**
 * The project's own indentation and line ends, so that an edit changes the lines it means to and
 * the diff shows nothing else (a JSON.stringify round trip would reformat the whole file).
 */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * Sets `path` to `value` in a JSON text, keeping every other byte. A new key goes after `after`
 * (a sibling's name) when there is one, else last.
 */
export function setJson(text: string, path: readonly string[], value: unknown, after?: string): string {
  const edits = modify(text, [...path], value, {
    formattingOptions: formattingOf(text),
    getInsertionIndex: (keys) => {
      const at = after === undefined ? -1 : keys.indexOf(after);
      return at === -1 ? keys.length : at + 1;
    },
  });
  return applyEdits(text, edits);
}

/** The parsed JSON, or undefined when it is not valid JSON (comments and trailing commas refused too). */
export function parseJson(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.length === 0 ? value : undefined;
}

/** The value at `path` in a parsed JSON object, if every step is an object. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
