// The call store: what an element renders. One current call per session (a second incoming call
// while this one is not ended is answered "busy").
import { atom } from 'nanostores';

/** SPEC §5 states, plus `idle` before any call. */
export type CallState = 'idle' | 'ringing' | 'connecting' | 'active' | 'ended';

export type EndReason =
  | 'hangup' | 'remote-hangup' | 'declined' | 'busy' | 'timeout' | 'cancelled' | 'missed'
  | 'answered-elsewhere' | 'declined-elsewhere' | 'failed' | 'full' | 'error';

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface RemoteParticipant {
  /** The peer's full JID (for room calls: the occupant JID). */
  jid: string;
  /** Display name: the nick in a room, else the bare JID. */
  name: string;
  stream: MediaStream | null;
  connection: RTCPeerConnectionState;
}

export interface CallView {
  id: string;
  direction: 'in' | 'out';
  /** Bare JID of the other party (1:1), or the room JID. */
  peer: string;
  room?: string;
  video: boolean;
  state: Exclude<CallState, 'idle'>;
  /** The remote side is ringing (outgoing, after XEP-0353 `ringing`). */
  remoteRinging: boolean;
  startedAt?: number;
  endedAt?: number;
  reason?: EndReason;
  local: MediaStream | null;
  remotes: RemoteParticipant[];
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  quality: Quality;
  /** A message for the user: media fallback, refused room call, … */
  notice?: string;
}

export const createCallStore = () => atom<CallView | null>(null);
export type CallStore = ReturnType<typeof createCallStore>;

export const isLive = (v: CallView | null): v is CallView => !!v && v.state !== 'ended';

export function durationOf(v: CallView, now = Date.now()): number {
  if (!v.startedAt) return 0;
  return Math.max(0, Math.round(((v.endedAt ?? now) - v.startedAt) / 1000));
}
