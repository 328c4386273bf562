// Required elements and attributes of the Jingle and JMI stanzas, as the XEP schemas state them
// (XEP-0166, 0167, 0176, 0320, 0338, 0339, 0293, 0294, 0353). Works on any ltx-style element
// (`name`, `attrs`, `getChildren`, `getChildElements`, `getText`), in the browser and in Node.
// Returns a list of problems; empty means valid.

const NS = {
  jingle: 'urn:xmpp:jingle:1',
  rtp: 'urn:xmpp:jingle:apps:rtp:1',
  ice: 'urn:xmpp:jingle:transports:ice-udp:1',
  dtls: 'urn:xmpp:jingle:apps:dtls:0',
  grouping: 'urn:xmpp:jingle:apps:grouping:0',
  ssma: 'urn:xmpp:jingle:apps:rtp:ssma:0',
  fb: 'urn:xmpp:jingle:apps:rtp:rtcp-fb:0',
  hdrext: 'urn:xmpp:jingle:apps:rtp:rtp-hdrext:0',
  jmi: 'urn:xmpp:jingle-message:0',
};
const ACTIONS = ['content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove', 'description-info',
  'security-info', 'session-accept', 'session-info', 'session-initiate', 'session-terminate', 'transport-accept',
  'transport-info', 'transport-reject', 'transport-replace'];
const REASONS = ['alternative-session', 'busy', 'cancel', 'connectivity-error', 'decline', 'expired', 'failed-application',
  'failed-transport', 'general-error', 'gone', 'incompatible-parameters', 'media-error', 'security-error', 'success',
  'timeout', 'unsupported-applications', 'unsupported-transports'];
const SENDERS = ['both', 'initiator', 'none', 'responder'];
const CANDIDATE_TYPES = ['host', 'prflx', 'relay', 'srflx'];
const JMI_ACTIONS = ['propose', 'ringing', 'proceed', 'reject', 'retract', 'finish', 'accept'];

const nsOf = (el) => (typeof el.getNS === 'function' ? el.getNS() : el.attrs.xmlns);
const isInt = (v, min, max) => /^\d+$/.test(v ?? '') && Number(v) >= min && Number(v) <= max;

/** Validates an `<iq>` carrying `<jingle/>`. */
export function validateJingleIq(iq) {
  const p = [];
  const need = (el, path, ...names) => { for (const n of names) if (el.attrs[n] === undefined || el.attrs[n] === '') p.push(`${path}: missing @${n}`); };
  const jingle = iq.getChildren('jingle').find((j) => nsOf(j) === NS.jingle);
  if (!jingle) return ['no <jingle xmlns="urn:xmpp:jingle:1">'];
  need(jingle, 'jingle', 'action', 'sid');
  const action = jingle.attrs.action;
  if (action && !ACTIONS.includes(action)) p.push(`jingle: bad @action ${action}`);
  if (action === 'session-initiate') need(jingle, 'jingle', 'initiator');
  if (action === 'session-accept') need(jingle, 'jingle', 'responder');
  const contents = jingle.getChildren('content').filter((c) => nsOf(c) === NS.jingle);
  if (['session-initiate', 'session-accept', 'transport-info'].includes(action) && contents.length === 0) p.push(`${action}: no <content/>`);
  for (const c of contents) {
    const at = `content[${c.attrs.name}]`;
    need(c, at, 'creator', 'name');
    if (c.attrs.creator && !['initiator', 'responder'].includes(c.attrs.creator)) p.push(`${at}: bad @creator`);
    if (c.attrs.senders && !SENDERS.includes(c.attrs.senders)) p.push(`${at}: bad @senders`);
    const desc = c.getChildren('description').find((d) => nsOf(d) === NS.rtp);
    if (action === 'session-initiate' || action === 'session-accept') {
      if (!desc) p.push(`${at}: no RTP <description/>`);
      else validateDescription(desc, at, p, need);
    }
    const t = c.getChildren('transport').find((x) => nsOf(x) === NS.ice);
    if (!t) p.push(`${at}: no ICE-UDP <transport/>`);
    else validateTransport(t, at, action, p, need);
  }
  for (const g of jingle.getChildren('group').filter((x) => nsOf(x) === NS.grouping)) {
    need(g, 'group', 'semantics');
    const names = g.getChildren('content').map((x) => x.attrs.name);
    if (names.length === 0 || names.some((n) => !n)) p.push('group: every <content/> needs @name');
    for (const n of names) if (!contents.some((c) => c.attrs.name === n)) p.push(`group: names unknown content ${n}`);
  }
  const reason = jingle.getChildren('reason')[0];
  if (action === 'session-terminate' && !reason) p.push('session-terminate: no <reason/>');
  if (reason) {
    const conds = reason.getChildElements().filter((e) => e.name !== 'text');
    if (conds.length !== 1 || !REASONS.includes(conds[0].name)) p.push('reason: needs exactly one known condition');
  }
  return p;
}

function validateDescription(desc, at, p, need) {
  need(desc, `${at}/description`, 'media');
  const pts = desc.getChildren('payload-type');
  if (pts.length === 0) p.push(`${at}: no <payload-type/>`);
  for (const pt of pts) {
    const path = `${at}/payload-type[${pt.attrs.id}]`;
    if (!isInt(pt.attrs.id, 0, 127)) p.push(`${path}: @id must be 0–127`);
    // Dynamic payload types have no meaning without a name (XEP-0167 §7).
    if (Number(pt.attrs.id) >= 35 && !pt.attrs.name) p.push(`${path}: dynamic type without @name`);
    if (pt.attrs.clockrate !== undefined && !isInt(pt.attrs.clockrate, 1, 1e9)) p.push(`${path}: bad @clockrate`);
    if (pt.attrs.channels !== undefined && !isInt(pt.attrs.channels, 1, 255)) p.push(`${path}: bad @channels`);
    for (const par of pt.getChildren('parameter')) need(par, `${path}/parameter`, 'name', 'value');
    for (const fb of pt.getChildren('rtcp-fb').filter((x) => nsOf(x) === NS.fb)) need(fb, `${path}/rtcp-fb`, 'type');
  }
  for (const fb of desc.getChildren('rtcp-fb').filter((x) => nsOf(x) === NS.fb)) need(fb, `${at}/rtcp-fb`, 'type');
  for (const h of desc.getChildren('rtp-hdrext').filter((x) => nsOf(x) === NS.hdrext)) {
    need(h, `${at}/rtp-hdrext`, 'id', 'uri');
    if (h.attrs.senders && !SENDERS.includes(h.attrs.senders)) p.push(`${at}/rtp-hdrext: bad @senders`);
  }
  for (const s of desc.getChildren('source').filter((x) => nsOf(x) === NS.ssma)) {
    need(s, `${at}/source`, 'ssrc');
    for (const par of s.getChildren('parameter')) need(par, `${at}/source/parameter`, 'name');
  }
  for (const g of desc.getChildren('ssrc-group').filter((x) => nsOf(x) === NS.ssma)) {
    need(g, `${at}/ssrc-group`, 'semantics');
    for (const s of g.getChildren('source')) need(s, `${at}/ssrc-group/source`, 'ssrc');
  }
}

function validateTransport(t, at, action, p, need) {
  if (action === 'session-initiate' || action === 'session-accept') need(t, `${at}/transport`, 'ufrag', 'pwd');
  for (const c of t.getChildren('candidate')) {
    const path = `${at}/candidate[${c.attrs.id}]`;
    need(c, path, 'component', 'foundation', 'generation', 'id', 'ip', 'network', 'port', 'priority', 'protocol', 'type');
    if (c.attrs.type && !CANDIDATE_TYPES.includes(c.attrs.type)) p.push(`${path}: bad @type`);
    if (c.attrs.port !== undefined && !isInt(c.attrs.port, 0, 65535)) p.push(`${path}: bad @port`);
    if (c.attrs.component !== undefined && !isInt(c.attrs.component, 1, 255)) p.push(`${path}: bad @component`);
  }
  const fp = t.getChildren('fingerprint').find((x) => nsOf(x) === NS.dtls);
  if ((action === 'session-initiate' || action === 'session-accept') && !fp) p.push(`${at}: no DTLS <fingerprint/> (XEP-0320)`);
  if (fp) {
    need(fp, `${at}/fingerprint`, 'hash', 'setup');
    if (fp.attrs.setup && !['actpass', 'active', 'passive', 'holdconn'].includes(fp.attrs.setup)) p.push(`${at}/fingerprint: bad @setup`);
    // An answer must pick a DTLS role (RFC 5763 §5; dino/dino#1072).
    if (action === 'session-accept' && fp.attrs.setup === 'actpass') p.push(`${at}/fingerprint: session-accept with setup=actpass`);
    if (!/^([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}$/.test(fp.getText().trim())) p.push(`${at}/fingerprint: not a hex fingerprint`);
  }
}

/** Validates a `<message>` carrying a JMI element (XEP-0353). */
export function validateJmiMessage(msg) {
  const p = [];
  const el = msg.getChildElements().find((e) => nsOf(e) === NS.jmi);
  if (!el) return ['no JMI element'];
  if (!JMI_ACTIONS.includes(el.name)) p.push(`unknown JMI element ${el.name}`);
  if (!el.attrs.id) p.push(`${el.name}: missing @id`);
  if (!msg.attrs.to) p.push('message: missing @to');
  if (el.name === 'propose') {
    const d = el.getChildren('description').filter((x) => nsOf(x) === NS.rtp);
    if (d.length === 0) p.push('propose: no RTP <description/>');
    for (const x of d) if (!['audio', 'video'].includes(x.attrs.media)) p.push('propose/description: bad @media');
  }
  const reason = el.getChildren('reason')[0];
  if (reason) {
    const conds = reason.getChildElements().filter((e) => e.name !== 'text');
    if (conds.length !== 1 || !REASONS.includes(conds[0].name)) p.push(`${el.name}/reason: needs exactly one known condition`);
  }
  return p;
}

/** Validates whichever of the two a stanza is; null when it is neither. */
export function validateCallStanza(el) {
  if (el.name === 'iq' && el.getChildren('jingle').some((j) => nsOf(j) === NS.jingle)) return validateJingleIq(el);
  if (el.name === 'message' && el.getChildElements().some((e) => nsOf(e) === NS.jmi)) return validateJmiMessage(el);
  return null;
}
