import { isSea } from 'node:sea';
import type WebTorrent from 'webtorrent';
import type { WebTorrentOptions } from 'webtorrent';
import { installWebrtcStub } from '../stubs/install-stubs.ts';
import { type SwarmSettings, webtorrentSwarmOptions } from './swarm-settings.ts';

/**
 * A WebTorrent client for a boot LAN, the client's engine and the host's seeder alike: the swarm's
 * switches, and no UPnP or NAT-PMP (there is no router to open ports on, and asking one costs time).
 * Loaded on first use, so a bttui that downloads with aria2 never runs WebTorrent's modules.
 */
export async function newWebTorrent(
  swarm: SwarmSettings,
  extra: WebTorrentOptions = {},
): Promise<WebTorrent> {
  if (!isSea()) installWebrtcStub();
  const { default: Client } = await import('webtorrent');
  return new Client({ ...webtorrentSwarmOptions(swarm), natUpnp: false, natPmp: false, ...extra });
}
