import path from 'node:path';
import { getAsset, isSea } from 'node:sea';

/**
 * blessed reads terminfo from disk, and the Phase-1 system has none. The single executable carries
 * blessed's own entries (linux, xterm, xterm-256color) as assets; when the disk lookup fails, parse
 * the embedded one. Must run before blessed.screen().
 */
export function installTerminfoFallback(blessed: { Tput: { prototype: Record<string, unknown> } }): void {
  if (!isSea()) return;
  const proto = blessed.Tput.prototype as {
    readTerminfo: (this: Record<string, unknown>, term?: string) => unknown;
    parseTerminfo: (this: unknown, buf: Buffer, file: string) => unknown;
    terminal?: string;
  };
  const original = proto.readTerminfo;
  proto.readTerminfo = function (this: Record<string, unknown>, term?: string) {
    try {
      return original.call(this, term);
    } catch (e) {
      const name = path.basename(term || String(this.terminal ?? 'linux'));
      for (const n of [name, name.startsWith('xterm') ? 'xterm' : 'linux']) {
        let buf: Buffer;
        try {
          buf = Buffer.from(getAsset(`terminfo/${n}`));
        } catch {
          continue;
        }
        return proto.parseTerminfo.call(this, buf, `sea:terminfo/${n}`);
      }
      throw e;
    }
  };
}
