import { registerHooks } from 'node:module';

let installed = false;

/**
 * When bttui runs from source (tests, the host), webtorrent's import of webrtc-polyfill would load
 * node-datachannel's missing native addon and crash; point it at our stub instead. The single
 * executable gets the same substitution from esbuild at build time.
 */
export function installWebrtcStub(): void {
  if (installed) return;
  installed = true;
  // resolved here, not at load: in the bundled single executable import.meta.url means nothing
  const WEBRTC = new URL('./webrtc-polyfill.mjs', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, next) {
      if (specifier === 'webrtc-polyfill') return { url: WEBRTC, shortCircuit: true };
      return next(specifier, context);
    },
  });
}
