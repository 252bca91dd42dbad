import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingFromVersion, STATIC_TOOLS } from './static-tools.ts';

// What aria2c 1.36's --version says, built with Debian's libraries and as Phase 1 first built it (the
// "internal" bignum that failed the encrypted handshake with WebTorrent).
const WITH_LIBS =
  'Enabled Features: BitTorrent, Message Digest\nLibraries: nettle GMP/6.2.1\nCompiler: gcc 12\n';
const INTERNAL = 'Enabled Features: BitTorrent, Message Digest\nLibraries: \nCompiler: gcc 12\n';

describe('a static tool is kept only with the libraries its recipe names', () => {
  it('aria2c with nettle and GMP passes', () => {
    assert.deepEqual(missingFromVersion('aria2c', STATIC_TOOLS.aria2c, WITH_LIBS), []);
  });
  it('aria2c with its own bignum and digests is refused, naming both libraries and why', () => {
    const lacks = missingFromVersion('aria2c', STATIC_TOOLS.aria2c, INTERNAL);
    assert.equal(lacks.length, 2);
    assert.match(lacks[0]!, /nettle.*SHA-1/);
    assert.match(lacks[1]!, /GMP.*Diffie-Hellman/);
  });
  it('a library named on another line does not count', () => {
    assert.equal(
      missingFromVersion('aria2c', STATIC_TOOLS.aria2c, 'Hash: nettle GMP\nLibraries: \n').length,
      2,
    );
  });
});
