import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderTemplate } from './render-template.ts';

it('renders values and flags, and refuses a value that would add a line of its own', () => {
  const tpl = '{{#}} note\ninterface={{iface}}\n{{?tftp}}enable-tftp\n{{!tftp}}no-tftp';
  assert.equal(renderTemplate(tpl, { iface: 'eth0', tftp: true }), 'interface=eth0\nenable-tftp');
  assert.throws(
    () => renderTemplate(tpl, { iface: 'eth0\ndhcp-script=/tmp/x', tftp: false }),
    /template value "iface" contains a control character: "eth0\\ndhcp-script=\/tmp\/x"/,
  );
  assert.throws(() => renderTemplate(tpl, { tftp: true }), /template variable "iface" has no value/);
});
