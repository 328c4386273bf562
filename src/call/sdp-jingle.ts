// SDP ⇄ Jingle. Pure functions, no DOM, no WebRTC objects: a session description becomes a small
// model (contents with RTP description and ICE-UDP transport), and the model becomes either Jingle
// XML or SDP again. Covers XEP-0166 contents, XEP-0167 payload types, XEP-0176 ICE-UDP candidates,
// XEP-0320 DTLS fingerprints with `setup`, XEP-0338 BUNDLE groups, XEP-0339 sources and source
// groups, XEP-0293 RTCP feedback and XEP-0294 header extensions.
import { xml, type Element } from '../core/xmpp.js';

export const JNS = {
  jingle: 'urn:xmpp:jingle:1',
  rtp: 'urn:xmpp:jingle:apps:rtp:1',
  iceUdp: 'urn:xmpp:jingle:transports:ice-udp:1',
  dtls: 'urn:xmpp:jingle:apps:dtls:0',
  grouping: 'urn:xmpp:jingle:apps:grouping:0',
  ssma: 'urn:xmpp:jingle:apps:rtp:ssma:0',
  rtcpFb: 'urn:xmpp:jingle:apps:rtp:rtcp-fb:0',
  hdrext: 'urn:xmpp:jingle:apps:rtp:rtp-hdrext:0',
  audio: 'urn:xmpp:jingle:apps:rtp:audio',
  video: 'urn:xmpp:jingle:apps:rtp:video',
} as const;

export type Role = 'initiator' | 'responder';
export type Senders = 'both' | 'initiator' | 'responder' | 'none';
export type Setup = 'actpass' | 'active' | 'passive';

export interface Feedback { type: string; subtype?: string }
export interface Payload {
  id: number;
  name: string;
  clockrate?: number;
  channels?: number;
  parameters: [name: string, value: string][];
  feedback: Feedback[];
}
export interface HeaderExtension { id: number; uri: string; senders?: Senders }
export interface Source { ssrc: string; parameters: [name: string, value: string][] }
export interface SourceGroup { semantics: string; sources: string[] }
export interface Fingerprint { hash: string; value: string; setup: Setup }
export interface Candidate {
  component: number;
  foundation: string;
  generation: number;
  id: string;
  ip: string;
  network: number;
  port: number;
  priority: number;
  protocol: string;
  type: string;
  relAddr?: string;
  relPort?: number;
  tcptype?: string;
}
export interface Transport { ufrag?: string; pwd?: string; fingerprint?: Fingerprint; candidates: Candidate[] }
export interface Content {
  /** The content name; the SDP `mid`. */
  name: string;
  creator: Role;
  senders: Senders;
  media: 'audio' | 'video';
  payloads: Payload[];
  /** RTCP feedback for every payload type (`a=rtcp-fb:*`). */
  feedback: Feedback[];
  headerExtensions: HeaderExtension[];
  extmapAllowMixed: boolean;
  rtcpMux: boolean;
  sources: Source[];
  sourceGroups: SourceGroup[];
  transport: Transport;
}
export interface Group { semantics: string; contents: string[] }
export interface SessionModel { contents: Content[]; groups: Group[] }

const other = (r: Role): Role => (r === 'initiator' ? 'responder' : 'initiator');

function sendersFromDirection(dir: string, author: Role): Senders {
  if (dir === 'sendonly') return author;
  if (dir === 'recvonly') return other(author);
  if (dir === 'inactive') return 'none';
  return 'both';
}

function directionFromSenders(s: Senders, author: Role): string {
  if (s === 'both') return 'sendrecv';
  if (s === 'none') return 'inactive';
  return s === author ? 'sendonly' : 'recvonly';
}

let candidateIds = 0;
const newCandidateId = () => `c${Date.now().toString(36)}${(candidateIds++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Parses an SDP `candidate:` attribute (with or without the `a=` prefix). */
export function parseSdpCandidate(line: string): Candidate | null {
  const m = /^(?:a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/i.exec(line.trim());
  if (!m) return null;
  const c: Candidate = {
    foundation: m[1]!, component: Number(m[2]), protocol: m[3]!.toLowerCase(), priority: Number(m[4]),
    ip: m[5]!, port: Number(m[6]), type: m[7]!, generation: 0, network: 0, id: newCandidateId(),
  };
  const rest = m[8]!.trim().split(/\s+/);
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const k = rest[i]!, v = rest[i + 1]!;
    if (k === 'raddr') c.relAddr = v;
    else if (k === 'rport') c.relPort = Number(v);
    else if (k === 'generation') c.generation = Number(v);
    else if (k === 'network-id') c.network = Number(v);
    else if (k === 'tcptype') c.tcptype = v;
  }
  return c;
}

/** An SDP `candidate:` attribute value (without `a=`), as RTCIceCandidate wants it. */
export function sdpCandidate(c: Candidate): string {
  let s = `candidate:${c.foundation} ${c.component} ${c.protocol} ${c.priority} ${c.ip} ${c.port} typ ${c.type}`;
  if (c.relAddr !== undefined && c.relPort !== undefined) s += ` raddr ${c.relAddr} rport ${c.relPort}`;
  if (c.tcptype) s += ` tcptype ${c.tcptype}`;
  s += ` generation ${c.generation}`;
  return s;
}

function emptyContent(name: string, media: 'audio' | 'video', creator: Role): Content {
  return {
    name, creator, senders: 'both', media, payloads: [], feedback: [], headerExtensions: [],
    extmapAllowMixed: false, rtcpMux: false, sources: [], sourceGroups: [], transport: { candidates: [] },
  };
}

/**
 * Reads an SDP (offer or answer) written by `author`. Media sections other than audio/video and
 * rejected ones (port 0) are left out: Jingle has no content for them.
 */
export function parseSdp(sdp: string, opts: { author: Role; creator?: Role }): SessionModel {
  const lines = sdp.split(/\r?\n/).filter(Boolean);
  const model: SessionModel = { contents: [], groups: [] };
  const session = { ufrag: undefined as string | undefined, pwd: undefined as string | undefined, fingerprint: undefined as Fingerprint | undefined, setup: undefined as Setup | undefined, extmapAllowMixed: false };
  let cur: Content | null = null;
  let skip = false;
  let fp: { hash: string; value: string } | undefined;
  let setup: Setup | undefined;
  let msid: string | undefined;
  let index = 0;
  const finish = () => {
    if (!cur || skip) return;
    const f = fp ?? session.fingerprint;
    const s = setup ?? session.setup ?? 'actpass';
    if (f) cur.transport.fingerprint = { hash: f.hash, value: f.value, setup: s };
    cur.transport.ufrag ??= session.ufrag;
    cur.transport.pwd ??= session.pwd;
    // Chromium answers carry the stream/track ids only at media level; XEP-0339 carries them per source.
    if (msid) for (const src of cur.sources) if (!src.parameters.some(([k]) => k === 'msid')) src.parameters.push(['msid', msid]);
    cur.extmapAllowMixed ||= session.extmapAllowMixed;
    model.contents.push(cur);
  };
  const payload = (c: Content, id: number) => {
    let p = c.payloads.find((x) => x.id === id);
    if (!p) c.payloads.push((p = { id, name: '', parameters: [], feedback: [] }));
    return p;
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      finish();
      const [media, port, , ...fmts] = line.slice(2).split(' ');
      const name = String(index++);
      fp = undefined;
      setup = undefined;
      msid = undefined;
      skip = (media !== 'audio' && media !== 'video') || port === '0';
      cur = emptyContent(name, media as 'audio' | 'video', opts.creator ?? 'initiator');
      for (const f of fmts) if (/^\d+$/.test(f)) payload(cur, Number(f));
      continue;
    }
    if (!line.startsWith('a=')) continue;
    const colon = line.indexOf(':');
    const key = colon < 0 ? line.slice(2) : line.slice(2, colon);
    const val = colon < 0 ? '' : line.slice(colon + 1);
    if (!cur) {
      if (key === 'group') {
        const [semantics, ...names] = val.split(' ');
        model.groups.push({ semantics: semantics!, contents: names });
      } else if (key === 'ice-ufrag') session.ufrag = val;
      else if (key === 'ice-pwd') session.pwd = val;
      else if (key === 'fingerprint') {
        const [hash, value] = val.split(' ');
        session.fingerprint = { hash: hash!, value: value!, setup: 'actpass' };
      } else if (key === 'setup') session.setup = val as Setup;
      else if (key === 'extmap-allow-mixed') session.extmapAllowMixed = true;
      continue;
    }
    const c: Content = cur;
    switch (key) {
      case 'mid': c.name = val; break;
      case 'ice-ufrag': c.transport.ufrag = val; break;
      case 'ice-pwd': c.transport.pwd = val; break;
      case 'fingerprint': {
        const [hash, value] = val.split(' ');
        fp = { hash: hash!, value: value! };
        break;
      }
      case 'setup': setup = val as Setup; break;
      case 'sendrecv': case 'sendonly': case 'recvonly': case 'inactive':
        c.senders = sendersFromDirection(key, opts.author);
        break;
      case 'rtcp-mux': c.rtcpMux = true; break;
      case 'extmap-allow-mixed': c.extmapAllowMixed = true; break;
      case 'msid': msid = val; break;
      case 'extmap': {
        const m = /^(\d+)(?:\/(\w+))? (\S+)/.exec(val);
        if (m) {
          const ext: HeaderExtension = { id: Number(m[1]), uri: m[3]! };
          if (m[2]) ext.senders = sendersFromDirection(m[2], opts.author);
          c.headerExtensions.push(ext);
        }
        break;
      }
      case 'rtpmap': {
        const m = /^(\d+) ([^/]+)\/(\d+)(?:\/(\d+))?/.exec(val);
        if (m) {
          const p = payload(c, Number(m[1]));
          p.name = m[2]!;
          p.clockrate = Number(m[3]);
          if (m[4]) p.channels = Number(m[4]);
        }
        break;
      }
      case 'fmtp': {
        const sp = val.indexOf(' ');
        const p = payload(c, Number(val.slice(0, sp)));
        for (const kv of val.slice(sp + 1).split(';')) {
          const eq = kv.indexOf('=');
          // Parameters without a name (RED's "111/111") have no Jingle form; the codec works without them.
          if (eq > 0) p.parameters.push([kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()]);
        }
        break;
      }
      case 'rtcp-fb': {
        const [pt, type, subtype] = val.split(' ');
        const fb: Feedback = subtype ? { type: type!, subtype } : { type: type! };
        if (pt === '*') c.feedback.push(fb);
        else payload(c, Number(pt)).feedback.push(fb);
        break;
      }
      case 'ssrc': {
        const m = /^(\d+) ([^:]+)(?::(.*))?$/.exec(val);
        if (m) {
          let src = c.sources.find((s) => s.ssrc === m[1]);
          if (!src) c.sources.push((src = { ssrc: m[1]!, parameters: [] }));
          src.parameters.push([m[2]!, m[3] ?? '']);
        }
        break;
      }
      case 'ssrc-group': {
        const [semantics, ...ssrcs] = val.split(' ');
        c.sourceGroups.push({ semantics: semantics!, sources: ssrcs });
        break;
      }
      case 'candidate': {
        const cand = parseSdpCandidate(line);
        if (cand) c.transport.candidates.push(cand);
        break;
      }
    }
  }
  finish();
  // Payload types announced on the m= line but never described are dropped (static types aside).
  for (const c of model.contents) c.payloads = c.payloads.filter((p) => p.name !== '' || p.id < 35);
  const kept = new Set(model.contents.map((c) => c.name));
  model.groups = model.groups.map((g) => ({ ...g, contents: g.contents.filter((n) => kept.has(n)) })).filter((g) => g.contents.length > 0);
  return model;
}

const STATIC_NAMES: Record<number, [string, number]> = { 0: ['PCMU', 8000], 8: ['PCMA', 8000], 9: ['G722', 8000], 13: ['CN', 8000] };

/**
 * Writes an SDP for WebRTC from the model. `author` is who wrote the description (the initiator for a
 * session-initiate, the responder for a session-accept), which decides the direction attributes.
 */
export function toSdp(model: SessionModel, opts: { author: Role; sessionId?: string; version?: number }): string {
  const out: string[] = [
    'v=0',
    `o=- ${opts.sessionId ?? '1'} ${opts.version ?? 2} IN IP4 0.0.0.0`,
    's=-',
    't=0 0',
  ];
  for (const g of model.groups) out.push(`a=group:${g.semantics} ${g.contents.join(' ')}`);
  if (model.contents.some((c) => c.extmapAllowMixed)) out.push('a=extmap-allow-mixed');
  out.push('a=msid-semantic: WMS *');
  for (const c of model.contents) {
    const pts = c.payloads.map((p) => p.id);
    out.push(`m=${c.media} 9 UDP/TLS/RTP/SAVPF ${pts.join(' ')}`);
    out.push('c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0');
    const t = c.transport;
    if (t.ufrag) out.push(`a=ice-ufrag:${t.ufrag}`);
    if (t.pwd) out.push(`a=ice-pwd:${t.pwd}`);
    out.push('a=ice-options:trickle');
    if (t.fingerprint) {
      out.push(`a=fingerprint:${t.fingerprint.hash} ${t.fingerprint.value}`);
      out.push(`a=setup:${t.fingerprint.setup}`);
    }
    out.push(`a=mid:${c.name}`);
    for (const e of c.headerExtensions) {
      const dir = e.senders && e.senders !== 'both' ? `/${directionFromSenders(e.senders, opts.author)}` : '';
      out.push(`a=extmap:${e.id}${dir} ${e.uri}`);
    }
    out.push(`a=${directionFromSenders(c.senders, opts.author)}`);
    const msid = c.sources.flatMap((s) => s.parameters).find(([k]) => k === 'msid')?.[1];
    if (msid) out.push(`a=msid:${msid}`);
    if (c.rtcpMux) out.push('a=rtcp-mux');
    for (const p of c.payloads) {
      const name = p.name || STATIC_NAMES[p.id]?.[0];
      const rate = p.clockrate ?? STATIC_NAMES[p.id]?.[1];
      if (name && rate) out.push(`a=rtpmap:${p.id} ${name}/${rate}${p.channels && p.channels > 1 ? `/${p.channels}` : ''}`);
      for (const fb of [...c.feedback, ...p.feedback]) out.push(`a=rtcp-fb:${p.id} ${fb.type}${fb.subtype ? ` ${fb.subtype}` : ''}`);
      if (p.parameters.length) out.push(`a=fmtp:${p.id} ${p.parameters.map(([k, v]) => `${k}=${v}`).join(';')}`);
    }
    for (const g of c.sourceGroups) out.push(`a=ssrc-group:${g.semantics} ${g.sources.join(' ')}`);
    for (const s of c.sources) for (const [k, v] of s.parameters) out.push(`a=ssrc:${s.ssrc} ${k}${v ? `:${v}` : ''}`);
    // Some peers group an ssrc (e.g. the RTX one) without describing it; WebRTC then refuses the
    // whole description. Describe it with the group's cname.
    const cname = c.sources.flatMap((s) => s.parameters).find(([k]) => k === 'cname')?.[1];
    const described = new Set(c.sources.map((s) => s.ssrc));
    for (const ssrc of c.sourceGroups.flatMap((g) => g.sources)) {
      if (described.has(ssrc) || !cname) continue;
      described.add(ssrc);
      out.push(`a=ssrc:${ssrc} cname:${cname}`);
      if (msid) out.push(`a=ssrc:${ssrc} msid:${msid}`);
    }
    for (const cand of t.candidates) out.push(`a=${sdpCandidate(cand)}`);
  }
  return `${out.join('\r\n')}\r\n`;
}

// ---- Jingle XML ----

export function candidateElement(c: Candidate): Element {
  const attrs: Record<string, string> = {
    component: String(c.component), foundation: c.foundation, generation: String(c.generation), id: c.id,
    ip: c.ip, network: String(c.network), port: String(c.port), priority: String(c.priority),
    protocol: c.protocol, type: c.type,
  };
  if (c.relAddr !== undefined) attrs['rel-addr'] = c.relAddr;
  if (c.relPort !== undefined) attrs['rel-port'] = String(c.relPort);
  if (c.tcptype) attrs.tcptype = c.tcptype;
  return xml('candidate', attrs);
}

export function transportElement(t: Transport): Element {
  const attrs: Record<string, string> = { xmlns: JNS.iceUdp };
  if (t.ufrag) attrs.ufrag = t.ufrag;
  if (t.pwd) attrs.pwd = t.pwd;
  const children: Element[] = [];
  if (t.fingerprint) children.push(xml('fingerprint', { xmlns: JNS.dtls, hash: t.fingerprint.hash, setup: t.fingerprint.setup }, t.fingerprint.value));
  for (const c of t.candidates) children.push(candidateElement(c));
  return xml('transport', attrs, ...children);
}

function descriptionElement(c: Content): Element {
  const children: Element[] = [];
  for (const p of c.payloads) {
    const attrs: Record<string, string> = { id: String(p.id) };
    if (p.name) attrs.name = p.name;
    if (p.clockrate) attrs.clockrate = String(p.clockrate);
    if (p.channels && p.channels > 1) attrs.channels = String(p.channels);
    children.push(xml('payload-type', attrs,
      ...p.parameters.map(([name, value]) => xml('parameter', { name, value })),
      ...p.feedback.map((f) => xml('rtcp-fb', { xmlns: JNS.rtcpFb, type: f.type, ...(f.subtype ? { subtype: f.subtype } : {}) }))));
  }
  for (const f of c.feedback) children.push(xml('rtcp-fb', { xmlns: JNS.rtcpFb, type: f.type, ...(f.subtype ? { subtype: f.subtype } : {}) }));
  for (const e of c.headerExtensions) {
    children.push(xml('rtp-hdrext', { xmlns: JNS.hdrext, id: String(e.id), uri: e.uri, ...(e.senders && e.senders !== 'both' ? { senders: e.senders } : {}) }));
  }
  if (c.extmapAllowMixed) children.push(xml('extmap-allow-mixed', { xmlns: JNS.hdrext }));
  for (const s of c.sources) {
    children.push(xml('source', { xmlns: JNS.ssma, ssrc: s.ssrc },
      ...s.parameters.map(([name, value]) => xml('parameter', { name, ...(value ? { value } : {}) }))));
  }
  for (const g of c.sourceGroups) {
    children.push(xml('ssrc-group', { xmlns: JNS.ssma, semantics: g.semantics }, ...g.sources.map((ssrc) => xml('source', { ssrc }))));
  }
  if (c.rtcpMux) children.push(xml('rtcp-mux'));
  return xml('description', { xmlns: JNS.rtp, media: c.media }, ...children);
}

export function contentElement(c: Content, opts: { transportOnly?: boolean } = {}): Element {
  const attrs: Record<string, string> = { creator: c.creator, name: c.name };
  if (!opts.transportOnly && c.senders !== 'both') attrs.senders = c.senders;
  return xml('content', attrs, ...(opts.transportOnly ? [] : [descriptionElement(c)]), transportElement(c.transport));
}

/** The children of a `<jingle/>` carrying this description: contents, then BUNDLE groups. */
export function jingleChildren(model: SessionModel): Element[] {
  return [
    ...model.contents.map((c) => contentElement(c)),
    ...model.groups.map((g) => xml('group', { xmlns: JNS.grouping, semantics: g.semantics }, ...g.contents.map((name) => xml('content', { name })))),
  ];
}

const int = (v: string | undefined, d = 0) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : d;
};

export function parseCandidateElement(el: Element): Candidate | null {
  const a = el.attrs as Record<string, string | undefined>;
  if (!a.ip || !a.port || !a.type || !a.foundation) return null;
  const c: Candidate = {
    component: int(a.component, 1), foundation: a.foundation, generation: int(a.generation), id: a.id ?? newCandidateId(),
    ip: a.ip, network: int(a.network), port: int(a.port), priority: int(a.priority), protocol: (a.protocol ?? 'udp').toLowerCase(), type: a.type,
  };
  if (a['rel-addr']) c.relAddr = a['rel-addr'];
  if (a['rel-port']) c.relPort = int(a['rel-port']);
  if (a.tcptype) c.tcptype = a.tcptype;
  return c;
}

export function parseTransport(el: Element | undefined): Transport {
  if (!el) return { candidates: [] };
  const t: Transport = { candidates: [] };
  if (el.attrs.ufrag) t.ufrag = el.attrs.ufrag;
  if (el.attrs.pwd) t.pwd = el.attrs.pwd;
  const fp = el.getChild('fingerprint', JNS.dtls);
  if (fp) t.fingerprint = { hash: fp.attrs.hash ?? 'sha-256', value: fp.getText().trim(), setup: (fp.attrs.setup as Setup | undefined) ?? 'actpass' };
  for (const c of el.getChildren('candidate')) {
    const cand = parseCandidateElement(c);
    if (cand) t.candidates.push(cand);
  }
  return t;
}

const feedbackOf = (el: Element): Feedback[] => el.getChildren('rtcp-fb', JNS.rtcpFb)
  .map((f) => (f.attrs.subtype ? { type: f.attrs.type as string, subtype: f.attrs.subtype as string } : { type: f.attrs.type as string }));

/** Reads the contents and groups of a `<jingle/>` element. Contents that are not RTP audio/video are skipped. */
export function parseJingle(jingle: Element): SessionModel {
  const model: SessionModel = { contents: [], groups: [] };
  for (const el of jingle.getChildren('content')) {
    const d = el.getChild('description', JNS.rtp);
    const media = d?.attrs.media;
    const name = el.attrs.name as string | undefined;
    if (!d || !name || (media !== 'audio' && media !== 'video')) continue;
    const c = emptyContent(name, media, (el.attrs.creator as Role | undefined) ?? 'initiator');
    c.senders = (el.attrs.senders as Senders | undefined) ?? 'both';
    for (const p of d.getChildren('payload-type')) {
      const id = int(p.attrs.id, -1);
      if (id < 0) continue;
      const pay: Payload = {
        id, name: (p.attrs.name as string | undefined) ?? '',
        parameters: p.getChildren('parameter').filter((x) => x.attrs.name).map((x) => [x.attrs.name as string, (x.attrs.value as string | undefined) ?? '']),
        feedback: feedbackOf(p),
      };
      if (p.attrs.clockrate) pay.clockrate = int(p.attrs.clockrate);
      if (p.attrs.channels) pay.channels = int(p.attrs.channels);
      c.payloads.push(pay);
    }
    c.feedback = feedbackOf(d);
    for (const e of d.getChildren('rtp-hdrext', JNS.hdrext)) {
      const ext: HeaderExtension = { id: int(e.attrs.id), uri: e.attrs.uri as string };
      if (e.attrs.senders) ext.senders = e.attrs.senders as Senders;
      if (ext.uri) c.headerExtensions.push(ext);
    }
    c.extmapAllowMixed = !!d.getChild('extmap-allow-mixed', JNS.hdrext);
    c.rtcpMux = !!d.getChild('rtcp-mux');
    for (const s of d.getChildren('source', JNS.ssma)) {
      if (!s.attrs.ssrc) continue;
      c.sources.push({ ssrc: s.attrs.ssrc as string, parameters: s.getChildren('parameter').filter((x) => x.attrs.name).map((x) => [x.attrs.name as string, (x.attrs.value as string | undefined) ?? '']) });
    }
    for (const g of d.getChildren('ssrc-group', JNS.ssma)) {
      c.sourceGroups.push({ semantics: g.attrs.semantics as string, sources: g.getChildren('source').map((s) => s.attrs.ssrc as string).filter(Boolean) });
    }
    c.transport = parseTransport(el.getChild('transport', JNS.iceUdp));
    model.contents.push(c);
  }
  for (const g of jingle.getChildren('group', JNS.grouping)) {
    model.groups.push({ semantics: (g.attrs.semantics ?? g.attrs.type) as string, contents: g.getChildren('content').map((c) => c.attrs.name as string) });
  }
  return model;
}

/**
 * The `setup` an answer must use, given the offer's (RFC 5763 / XEP-0320): never `actpass`, and
 * the opposite of a definite offer role.
 */
export function answerSetup(offer: Setup | undefined): Setup {
  if (offer === 'active') return 'passive';
  return 'active';
}
