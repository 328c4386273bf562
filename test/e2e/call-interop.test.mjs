// Interop on the wire. Alice uses <cc-call>; "bob" is an independent Jingle implementation: the
// StanzaJS library's Jingle definitions and SDP conversion (used only here), over its own XMPP
// connection, with a plain RTCPeerConnection in a browser page for media. Bob answers our JMI
// propose, parses our session-initiate with StanzaJS, answers with a session-accept StanzaJS writes,
// and both sides decode each other's video. Every call stanza alice sends is checked against the
// XEP schemas' required elements and attributes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { client, xml } from '@xmpp/client';
import { parse as parseLtx } from 'ltx';
import SDPUtils from 'sdp';
import stanza from 'stanza';
import Protocol from 'stanza/protocol/index.js';
import { convertCandidateToIntermediate, convertIntermediateToRequest, convertRequestToIntermediate } from 'stanza/jingle/sdp/Protocol.js';
import { exportToSDP, importFromSDP } from 'stanza/jingle/sdp/Intermediate.js';
import { befriend, launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';
import { validateCallStanza } from '../browser/jingle-schema.js';
import { callStats, openCall, waitUntil } from './call-support.mjs';

const registry = new stanza.JXT.Registry();
registry.define(Protocol.default ?? Protocol);
/** StanzaJS's reading of a stanza (its own XML definitions, not ours). */
const stanzaJs = (el) => {
  const text = el.toString();
  return registry.import(stanza.JXT.parse(el.attrs.xmlns ? text : text.replace(/^<iq /, '<iq xmlns="jabber:client" ')));
};

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

/** Bob: XMPP in Node, StanzaJS for Jingle, a browser page for the RTCPeerConnection. */
async function startBob(bob) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(pageUrl(web.origin, {}, 'span'));
  const x = client({ service: stack.service, domain: stack.domain, username: bob.user, password: bob.password, resource: 'stanzajs' });
  x.on('error', () => {});
  const got = { proposes: [], initiates: [], terminates: [], accepted: [], errors: [] };
  const early = [];
  let pcReady = false;
  const addCandidates = async (jingleJson) => {
    for (const content of jingleJson.contents ?? []) {
      for (const c of content.transport?.candidates ?? []) {
        const line = SDPUtils.writeCandidate(convertCandidateToIntermediate(c)).replace(/^a=/, '').trim();
        if (!pcReady) early.push({ line, mid: content.name });
        else await page.evaluate(({ line: l, mid }) => window.pc.addIceCandidate({ candidate: l, sdpMid: mid }), { line, mid: content.name });
      }
    }
  };
  const onStanza = async (s) => {
    const jmi = s.is('message') && s.getChild('propose', 'urn:xmpp:jingle-message:0');
    if (jmi) {
      got.proposes.push(s);
      await x.send(xml('message', { to: s.attrs.from, type: 'chat' }, xml('proceed', { xmlns: 'urn:xmpp:jingle-message:0', id: jmi.attrs.id })));
      return;
    }
    const j = s.is('iq') && s.attrs.type === 'set' && s.getChild('jingle', 'urn:xmpp:jingle:1');
    if (!j) return;
    await x.send(xml('iq', { to: s.attrs.from, id: s.attrs.id, type: 'result' }));
    const parsed = stanzaJs(s).jingle;
    if (parsed.action === 'transport-info') return addCandidates(parsed);
    if (parsed.action === 'session-terminate') return got.terminates.push(parsed);
    if (parsed.action !== 'session-initiate') return;
    got.initiates.push(parsed);
    // The offer as StanzaJS reads it, played into a real peer connection.
    const offer = exportToSDP(convertRequestToIntermediate(parsed, 'initiator'));
    const answer = await page.evaluate(async (sdp) => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      window.pc = pc;
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const t of pc.getTransceivers()) {
        const track = media.getTracks().find((m) => m.kind === t.receiver.track.kind);
        if (track) { await t.sender.replaceTrack(track); t.direction = 'sendrecv'; }
      }
      await pc.setLocalDescription(await pc.createAnswer());
      // No trickle on this side: wait for gathering, then send everything in the answer.
      await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); else pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()); });
      return pc.localDescription.sdp;
    }, offer);
    pcReady = true;
    for (const e of early.splice(0)) await page.evaluate(({ line, mid }) => window.pc.addIceCandidate({ candidate: line, sdpMid: mid }), e);
    const request = convertIntermediateToRequest(importFromSDP(answer), 'responder', 'urn:xmpp:jingle:transports:ice-udp:1');
    const acceptXml = registry.export('iq', {
      type: 'set', to: s.attrs.from, id: `accept-${Date.now()}`,
      jingle: { ...request, action: 'session-accept', sid: parsed.sid, responder: x.jid.toString() },
    }).toString();
    got.accepted.push(acceptXml);
    await x.send(parseLtx(acceptXml));
  };
  x.on('stanza', (s) => void onStanza(s).catch((e) => got.errors.push(e)));
  // Available on every (re)connection, so messages to the bare JID reach this resource.
  x.on('online', () => void x.send(xml('presence')).catch(() => {}));
  await x.start();
  await x.iqCaller.request(xml('iq', { type: 'get', to: stack.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  const framesDecoded = () => page.evaluate(async () => {
    let n = 0;
    (await window.pc?.getStats())?.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0; });
    return n;
  });
  return { x, page, got, framesDecoded, close: async () => { await x.stop(); await ctx.close(); } };
}

describe('cc-call interop', () => {
  it('an independent Jingle implementation (StanzaJS) parses our session-initiate, answers it, and media flows both ways', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const b = await startBob(bob);
    const a = await openCall(browser, pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, with: bob.jid }, 'cc-call'));
    // Everything alice's page puts on the XMPP WebSocket.
    const sent = [];
    a.page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await a.page.reload();
    await a.ready();

    await a.page.getByRole('button', { name: 'Video call' }).click();
    await waitUntil(() => { if (b.got.errors.length) throw b.got.errors[0]; return b.got.accepted.length; }, 'bob to answer with a session-accept');
    const init = b.got.initiates[0];
    // StanzaJS reads the same session we meant to send.
    assert.equal(init.action, 'session-initiate');
    assert.deepEqual(init.contents.map((c) => c.application.media), ['audio', 'video']);
    assert.equal(init.contents[0].transport.fingerprints[0].setup, 'actpass');
    assert.equal(init.contents[0].transport.fingerprints[0].algorithm, 'sha-256');
    assert.ok(init.contents[0].transport.usernameFragment && init.contents[0].transport.password, 'ICE credentials');
    assert.ok(init.contents[0].application.codecs.some((c) => c.name === 'opus' && c.clockRate === 48000));
    assert.ok(init.contents[1].application.codecs.some((c) => c.name === 'VP8'));
    assert.deepEqual(init.groups, [{ semantics: 'BUNDLE', contents: ['0', '1'] }]);

    const first = await waitUntil(async () => (await callStats(a.page)).framesDecoded, 'alice decoding the StanzaJS side\'s video');
    await waitUntil(async () => (await callStats(a.page)).framesDecoded > first, 'alice: more frames');
    const bf = await waitUntil(() => b.framesDecoded(), 'the StanzaJS side decoding alice\'s video');
    await waitUntil(async () => (await b.framesDecoded()) > bf, 'bob: more frames');

    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitUntil(() => b.got.terminates.length, 'session-terminate at bob');
    assert.equal(b.got.terminates[0].reason?.condition, 'success');

    // The JMI finish follows the session-terminate; wait for it on the wire rather than race it.
    await waitUntil(() => sent.some((t) => t.includes('urn:xmpp:jingle-message:0') && /<finish[\s>/]/.test(t)), 'alice\'s JMI finish on the wire');
    // The wire: every Jingle/JMI stanza alice sent meets the schemas' requirements.
    const stanzas = sent.filter((t) => /urn:xmpp:jingle(-message)?:/.test(t)).map((t) => parseLtx(t));
    const checked = stanzas.map((el) => ({ el, problems: validateCallStanza(el) })).filter((r) => r.problems);
    const kinds = new Set(checked.map(({ el }) => el.getChild('jingle')?.attrs.action ?? el.getChildElements().find((e) => e.attrs.xmlns === 'urn:xmpp:jingle-message:0')?.name));
    // A transport-info goes out only for candidates gathered after the session-initiate left (a race
    // with the proceed): checked when present; the recorded stanzas of the unit test always have one.
    for (const k of ['propose', 'session-initiate', 'session-terminate', 'finish']) assert.ok(kinds.has(k), `alice sent a ${k}`);
    assert.deepEqual(checked.filter((r) => r.problems.length).map((r) => ({ stanza: r.el.toString().slice(0, 200), problems: r.problems })), []);
    if (process.env.CC_RECORD_STANZAS) {
      // Refreshes the recorded stanzas the unit test validates (test/browser/jingle-schema.test.ts).
      const rec = [...checked.map(({ el }) => el.toString()), ...b.got.accepted];
      writeFileSync(process.env.CC_RECORD_STANZAS, `// Stanzas recorded from a call between <cc-call> and StanzaJS (test/e2e/call-interop.test.mjs\n// with CC_RECORD_STANZAS set). The last one is StanzaJS's session-accept.\nexport const recorded: string[] = ${JSON.stringify(rec, null, 1)};\n`);
    }
    assert.deepEqual(a.errors, []);
    await Promise.all([a.close(), b.close()]);
  });
});
