/**
 * A console that keeps what it is told: `out` from log, `err` from warn and error, `said` all of it in
 * order, for the commands and printers that take a Console to write to.
 */
export function captureConsole() {
  const out: string[] = [];
  const err: string[] = [];
  const said: string[] = [];
  const to = (list: string[]) => (s: string) => {
    list.push(s);
    said.push(s);
  };
  const log = { log: to(out), warn: to(err), error: to(err) } as unknown as Console;
  return { log, out, err, said };
}
