/**
 * Node's parseArgs error cut to its first sentence: "unknown option '--x'". Its advice on a positional
 * argument starting with '-' does not fit a command whose usage is printed right after.
 */
export function optionError(e: unknown): string {
  return (e as Error).message.split(/\. (?=[A-Z])/)[0]!.replace(/^Unknown/, 'unknown');
}
