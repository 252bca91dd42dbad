import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadOrder, modinfoDepends } from './module-order.ts';

it('reads depends= from a .modinfo section', () => {
  const ko = Buffer.from(
    '\x7fELF...\0license=GPL\0depends=virtio,virtio_ring\0retpoline=Y\0name=virtio_net\0',
  );
  assert.deepEqual(modinfoDepends(ko), ['virtio', 'virtio_ring']);
  assert.deepEqual(modinfoDepends(Buffer.from('\0depends=\0name=failover\0')), []);
});

it('orders modules after their dependencies, each once', () => {
  const deps: Record<string, string[]> = {
    virtio_net: ['net_failover', 'virtio', 'virtio_ring'],
    net_failover: ['failover'],
    virtio_pci: ['virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio', 'virtio_ring'],
    virtio: [],
    virtio_ring: [],
    failover: [],
    virtio_pci_legacy_dev: [],
    virtio_pci_modern_dev: [],
  };
  assert.deepEqual(
    loadOrder(['virtio_pci', 'virtio_net'], (n) => deps[n] ?? []),
    [
      'virtio_pci_legacy_dev',
      'virtio_pci_modern_dev',
      'virtio',
      'virtio_ring',
      'virtio_pci',
      'failover',
      'net_failover',
      'virtio_net',
    ],
  );
  assert.throws(() => loadOrder(['a'], (n) => (n === 'a' ? ['b'] : ['a'])), /circle at a/);
});
