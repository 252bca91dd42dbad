/**
 * Text from an env (a menu label, a file name, a value quoted in an error) can carry terminal control
 * sequences: clear the screen, retitle the terminal, or forge a line. Everything a console shows goes
 * through here, so such bytes are shown, never obeyed.
 */

// C0 controls but line feed, DEL, and C1 controls (0x80–0x9f, which some terminals obey as CSI etc.)
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** Each control character as a visible `\xNN` (`\t` stays a tab's width of spaces); line feeds kept. */
export function consoleSafe(text: string): string {
  return text.replace(CONTROL, (c) =>
    c === '\t' ? '  ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Where a text field holds a control character, if anywhere (line feeds count: a field is one line). */
export function controlCharAt(text: string): number | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
  const i = text.search(/[\u0000-\u001f\u007f-\u009f]/);
  return i < 0 ? undefined : i;
}
