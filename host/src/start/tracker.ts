/**
 * opentracker's command line. Debian builds it whitelist-only and it refuses to run as root, so it
 * gets the infohashes `build` wrote and drops to `nobody`, chrooted in out/opentracker/.
 */
export function opentrackerArgs(o: { ip: string; port: number; dir: string; asRoot: boolean }): string[] {
  return [
    '-i',
    o.ip,
    '-p',
    String(o.port),
    '-P',
    String(o.port),
    '-d',
    o.dir,
    ...(o.asRoot ? ['-u', 'nobody'] : []),
    '-w',
    'whitelist',
  ];
}
