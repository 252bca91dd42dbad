import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliasMatches, modulesFor, parseAliases } from './modalias.ts';

// real lines of modules.alias (Debian's 6.1.0-57-amd64), and real modaliases from QEMU's devices
const ALIASES = parseAliases(`alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139cp
alias pci:v*d00008139sv000013D1sd0000AB06bc*sc*i* 8139too
alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139too
alias pci:v00008086d000015F2sv*sd*bc*sc*i* igc
alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
alias pci:v*d*sv*sd*bc0Csc03i30* xhci_pci
alias usb:v*p*d*dc*dsc*dp*ic02isc06ip00in* cdc_ether
alias usb:v0BDAp8153d*dc*dsc*dp*ic02isc06ip00in* r8152
alias usb:v*p*d*dc*dsc*dp*ic03isc01ip01in* usbhid
alias mdio:0000000000011100110000010110???? realtek
not an alias line
`);

describe('modalias matching as modprobe does it', () => {
  it('reads alias lines and skips the rest', () => {
    assert.equal(ALIASES.length, 10);
    assert.deepEqual(ALIASES[3], { pattern: 'pci:v00008086d000015F2sv*sd*bc*sc*i*', module: 'igc' });
  });

  it('a Realtek 8139 (QEMU rtl8139): both drivers that claim it, in the file’s order', () => {
    assert.deepEqual(modulesFor('pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00', ALIASES), [
      '8139cp',
      '8139too',
    ]);
  });

  it('an Intel I225 (igc), an e1000, a USB controller by its class only', () => {
    assert.deepEqual(modulesFor('pci:v00008086d000015F2sv00008086sd00000000bc02sc00i00', ALIASES), ['igc']);
    assert.deepEqual(modulesFor('pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00', ALIASES), ['e1000']);
    assert.deepEqual(modulesFor('pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30', ALIASES), [
      'xhci_pci',
    ]);
  });

  it('USB: a Realtek 8153 adapter (its own driver and CDC), a keyboard', () => {
    const r8153 = 'usb:v0BDAp8153d3100dc00dsc00dp00ic02isc06ip00in00';
    assert.deepEqual(modulesFor(r8153, ALIASES), ['cdc_ether', 'r8152']);
    assert.deepEqual(modulesFor('usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00', ALIASES), ['usbhid']);
  });

  it('nothing for a device no line names; ? is one character, [..] a class, [!..] its complement', () => {
    assert.deepEqual(modulesFor('pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00', ALIASES), []);
    assert.ok(aliasMatches('mdio:0000000000011100110000010110????', 'mdio:00000000000111001100000101101001'));
    assert.ok(!aliasMatches('mdio:0000000000011100110000010110????', 'mdio:0000000000011100110000010110100'));
    assert.ok(aliasMatches('acpi*:PNP0[Aa]0[38]:*', 'acpi:PNP0a08:'));
    assert.ok(!aliasMatches('acpi*:PNP0[!Aa]0[38]:*', 'acpi:PNP0a08:'));
    assert.ok(aliasMatches('of:N*T*Cfsl,imx.1', 'of:NethTCfsl,imx.1'), 'a dot is a dot');
    assert.ok(!aliasMatches('of:N*T*Cfsl,imx.1', 'of:NethTCfsl,imxx1'));
  });
});
