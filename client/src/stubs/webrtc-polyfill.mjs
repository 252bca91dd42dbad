// Stands in for webrtc-polyfill (and so node-datachannel, a native addon that cannot be built offline):
// WebRTC only serves browser peers and ws:// trackers, neither of which a boot LAN has.
export const RTCPeerConnection = undefined;
export const RTCSessionDescription = undefined;
export const RTCIceCandidate = undefined;
export default {};
