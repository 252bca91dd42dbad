/**
 * The host's one door for the tools (benches, the lab, the Phase-1 build) and the tests outside
 * host/src, as client/src/shared.ts is the client's: what they may rely on, so the host's files can be
 * moved and split without reaching into each of them. The shape test refuses a deep import from tools/
 * or test/ into host/src.
 */
export { dashboardRoutes } from './dashboard/dashboard-routes.ts';
export { labNetwork } from './dashboard/lab-network.ts';
export { type ClientRow, Room, type RowStage, type Status } from './dashboard/room.ts';
export { bzImageRelease, initrdFormat, KERNEL_HEAD_BYTES } from './publish/boot-image-facts.ts';
export { BUILD_SUMMARY, type BuildResult, buildEnv, packTorrents } from './publish/build-env.ts';
export { certificateTable, kernelSigned } from './publish/kernel-signature.ts';
export { DRIVERS_ALL, PHASE1_BUDGET_BYTES, phase1Initrds, phase1Line } from './publish/phase1-files.ts';
export { QEMU_PROFILE } from './publish/qemu-profile-out.ts';
export { type Component, spawnComponent } from './start/component.ts';
export { lastBuild, publishedFiles } from './start/env-build.ts';
export { type HostPlan, planHost } from './start/host-plan.ts';
export { startHttpServer } from './start/http-server.ts';
export { aria2SeederArgs } from './start/seeder.ts';
export { seederUploaded } from './start/seeder-stats.ts';
export { type Serving, serve } from './start/serve.ts';
export { opentrackerArgs } from './start/tracker.ts';
export {
  type SeederReport,
  startWebtorrentSeeder,
  WEBTORRENT_SEEDER_PROCESS,
  type WebtorrentSeederOptions,
} from './start/webtorrent-seeder.ts';
