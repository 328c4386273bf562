// Attachments, the pure parts: OOB + file metadata read and built (and read through the message
// parsers, so live, carbon and archived messages get them alike), XEP-0363 service and slot
// parsing, accept lists, the reducer on file messages, and how a file is rendered.
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { xml } from '@xmpp/client';
import { acceptsFile } from '../../src/core/attachments.js';
import type { Connection } from '../../src/core/connection.js';
import { upload, type UploadError } from '../../src/core/upload.js';
import type { Element } from '../../src/core/xmpp.js';
import { attachmentKind, attachmentPayload, readAttachment, type Attachment } from '../../src/core/protocol/attachment.js';
import { buildChatMessage, parseChatMessage, parseGroupMessage, type ChatMessage } from '../../src/core/protocol/message.js';
import { readSlot, readUploadService, slotRequest } from '../../src/core/protocol/upload.js';
import { applyAction } from '../../src/core/stores/apply-action.js';
import { messageStyles } from '../../src/elements/cc-chat/message-item.js';
import { renderAttachment } from '../../src/elements/cc-chat/attachment.js';
import { fileSize } from '../../src/elements/ui/format.js';
import { parseXml } from './call-xml.js';

const URL_ = 'https://up.example/file_share/abc/cat%20pic.png';
const withPayload = (body: string, a: Attachment, attrs: Record<string, string> = {}) => {
  const m = buildChatMessage('alice@x', body, 'o1');
  m.attrs = { ...m.attrs, from: 'bob@x/phone', ...attrs };
  for (const el of attachmentPayload(a)) m.append(el);
  // Through the wire format: what a peer receives is what was serialised.
  return parseXml(m.toString());
};

describe('attachments: OOB and file metadata', () => {
  it('round-trips URL, name, type, size and dimensions', () => {
    const a: Attachment = { url: URL_, name: 'cat pic.png', mediaType: 'image/png', size: 1234, width: 800, height: 600 };
    const m = withPayload(URL_, a);
    expect(m.getChild('x', 'jabber:x:oob')?.getChildText('url')).to.equal(URL_);
    expect(readAttachment(m)).to.deep.equal(a);
  });

  it('comes with parsed chat and room messages, live or archived', () => {
    const a: Attachment = { url: URL_, name: 'cat pic.png', mediaType: 'image/png', size: 10, width: 2, height: 1 };
    expect(parseChatMessage(withPayload(URL_, a), { ownBare: 'alice@x' })?.attachment).to.deep.equal(a);
    const archived = { stanzaId: 's1', timestamp: 5, by: 'alice@x' };
    expect(parseChatMessage(withPayload(URL_, a), { ownBare: 'alice@x', archived })?.attachment).to.deep.equal(a);
    const room = withPayload(URL_, a, { type: 'groupchat', from: 'r@c/bob' });
    expect(parseGroupMessage(room, { ownNick: 'alice' })?.attachment).to.deep.equal(a);
    expect(parseChatMessage(parseXml('<message xmlns="jabber:client" from="bob@x" type="chat"><body>hi</body></message>'), { ownBare: 'alice@x' })?.attachment)
      .to.equal(undefined);
  });

  it('takes only http(s) URLs; anything else leaves the message as text', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.example/a', 'file:///etc/passwd', 'https://', 'not a url', '']) {
      const m = xml('message', {}, xml('body', {}, url), xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url)));
      expect(readAttachment(m), url).to.equal(undefined);
      expect(parseChatMessage(m, { ownBare: 'alice@x' })?.body ?? '', url).to.equal(url);
    }
    expect(readAttachment(xml('message', {}, xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, ' http://a.example/x ')))))
      .to.include({ url: 'http://a.example/x', name: 'x' });
  });

  it('without metadata, names the file after its URL; hostile metadata is dropped or cleaned', () => {
    const bare = xml('message', {}, xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, URL_)));
    expect(readAttachment(bare)).to.deep.equal({ url: URL_, name: 'cat pic.png', mediaType: undefined, size: undefined });
    const hostile = xml('message', {}, xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, URL_)),
      xml('file', { xmlns: 'urn:xmpp:file:metadata:0' },
        xml('name', {}, `\u202Egpj.exe${'x'.repeat(500)}`), xml('media-type', {}, 'text/html; charset=x'),
        xml('size', {}, '-5'), xml('width', {}, '1e9'), xml('height', {}, '10')));
    const a = readAttachment(hostile)!;
    expect(a.name.startsWith('gpj.exe')).to.equal(true);
    expect(a.name).to.have.length(200);
    expect([a.mediaType, a.size, a.width, a.height]).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('picks how to show a file from its type, else its extension', () => {
    const k = (p: Partial<Attachment>) => attachmentKind({ url: URL_, name: 'x', ...p });
    expect(k({ mediaType: 'image/webp' })).to.equal('image');
    expect(k({ mediaType: 'video/mp4' })).to.equal('video');
    expect(k({ mediaType: 'audio/ogg' })).to.equal('audio');
    expect(k({ mediaType: 'application/pdf', name: 'x.png' })).to.equal('file');
    expect(k({ name: 'song.MP3' })).to.equal('audio');
    expect(k({ name: 'photo.jpeg', mediaType: 'application/octet-stream' })).to.equal('image');
    expect(k({ name: 'notes.txt' })).to.equal('file');
  });
});

describe('attachments: HTTP File Upload stanzas', () => {
  const info = (features: string[], max?: string) => parseXml(`<iq xmlns="jabber:client" type="result"><query xmlns="http://jabber.org/protocol/disco#info">
    ${features.map((f) => `<feature var="${f}"/>`).join('')}
    ${max ? `<x xmlns="jabber:x:data" type="result"><field var="FORM_TYPE" type="hidden"><value>urn:xmpp:http:upload:0</value></field>
      <field var="max-file-size"><value>${max}</value></field></x>` : ''}</query></iq>`);

  it('recognises the upload service and its size limit', () => {
    expect(readUploadService('upload.x', info(['urn:xmpp:http:upload:0'], '10485760'))).to.deep.equal({ jid: 'upload.x', maxSize: 10485760 });
    expect(readUploadService('upload.x', info(['urn:xmpp:http:upload:0']))).to.deep.equal({ jid: 'upload.x', maxSize: undefined });
    expect(readUploadService('upload.x', info(['urn:xmpp:http:upload:0'], 'lots'))).to.deep.equal({ jid: 'upload.x', maxSize: undefined });
    expect(readUploadService('conference.x', info(['http://jabber.org/protocol/muc'], '5'))).to.equal(null);
  });

  it('asks for a slot with name, size and type', () => {
    const r = slotRequest('upload.x', { name: 'a.pdf', size: 42, type: '' }).getChild('request', 'urn:xmpp:http:upload:0')!;
    expect(r.attrs).to.include({ filename: 'a.pdf', size: '42', 'content-type': 'application/octet-stream' });
  });

  it('reads a slot, passing on only the allowed headers without line breaks', () => {
    const slot = parseXml(`<iq xmlns="jabber:client" type="result"><slot xmlns="urn:xmpp:http:upload:0">
      <put url="https://up.example/put/1"><header name="Authorization">Bearer abc&#13;&#10;X-Evil: 1</header><header name="Host">evil</header>
        <header name="Cookie">c=1</header></put><get url="https://up.example/get/1"/></slot></iq>`);
    expect(readSlot(slot)).to.deep.equal({ put: 'https://up.example/put/1', get: 'https://up.example/get/1', headers: { Authorization: 'Bearer abcX-Evil: 1', Cookie: 'c=1' } });
    const bad = parseXml(`<iq xmlns="jabber:client" type="result"><slot xmlns="urn:xmpp:http:upload:0">
      <put url="https://up.example/put/1"/><get url="javascript:alert(1)"/></slot></iq>`);
    expect(readSlot(bad)).to.equal(null);
    expect(readSlot(parseXml('<iq xmlns="jabber:client" type="result"/>'))).to.equal(null);
  });
});

describe('attachments: upload() reports why a file did not go', () => {
  const INFO = 'http://jabber.org/protocol/disco#info';
  const service = (max?: number) => parseXml(`<iq xmlns="jabber:client" type="result"><query xmlns="${INFO}"><feature var="urn:xmpp:http:upload:0"/>
    ${max ? `<x xmlns="jabber:x:data" type="result"><field var="FORM_TYPE"><value>urn:xmpp:http:upload:0</value></field><field var="max-file-size"><value>${max}</value></field></x>` : ''}
    </query></iq>`);
  /** A connection whose server has an upload service at upload.x (or none) and answers slot requests with `slot`. */
  const server = (opts: { max?: number; none?: boolean; slot?: () => Element }) => {
    const asked: string[] = [];
    const conn = {
      bare: 'alice@x',
      async request(iq: Element) {
        const q = iq.getChildElements()[0]!;
        asked.push(`${iq.attrs.to} ${q.name}`);
        if (q.attrs.xmlns === 'http://jabber.org/protocol/disco#items') {
          return parseXml(`<iq xmlns="jabber:client" type="result"><query xmlns="${q.attrs.xmlns}"><item jid="conference.x"/><item jid="upload.x"/></query></iq>`);
        }
        if (q.attrs.xmlns === INFO) return iq.attrs.to === 'upload.x' && !opts.none ? service(opts.max) : parseXml(`<iq xmlns="jabber:client" type="result"><query xmlns="${INFO}"/></iq>`);
        return opts.slot!();
      },
    } as unknown as Connection;
    return { conn, asked };
  };
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: UploadError) => e);
  const file = (size: number) => new File([new Uint8Array(size)], 'f.bin');

  it('no upload service', async () => {
    const { conn } = server({ none: true });
    expect(await failure(upload(conn, file(3)))).to.include({ code: 'upload-unavailable' });
  });

  it('over the limit the service announced: refused before asking for a slot', async () => {
    const { conn, asked } = server({ max: 10 });
    expect(await failure(upload(conn, file(11)))).to.include({ code: 'upload-too-large', maxSize: 10 });
    expect(asked.some((a) => a.endsWith('request'))).to.equal(false);
  });

  it('a slot refused, with the server\'s reason; the server\'s own size limit', async () => {
    const refused = server({ slot: () => { throw { condition: 'resource-constraint', text: 'Quota reached' }; } });
    expect(await failure(upload(refused.conn, file(3)))).to.include({ code: 'upload-refused', message: 'Quota reached' });
    const tooLarge = server({
      slot: () => { throw { condition: 'not-acceptable', application: parseXml('<file-too-large xmlns="urn:xmpp:http:upload:0"><max-file-size>2</max-file-size></file-too-large>') }; },
    });
    expect(await failure(upload(tooLarge.conn, file(3)))).to.include({ code: 'upload-too-large', maxSize: 2 });
  });

  it('a PUT the upload server rejects; a cancel before anything went out', async () => {
    const slot = () => parseXml(`<iq xmlns="jabber:client" type="result"><slot xmlns="urn:xmpp:http:upload:0">
      <put url="${location.origin}/no-such-upload-endpoint"/><get url="${location.origin}/x"/></slot></iq>`);
    const err = await failure(upload(server({ slot }).conn, file(3)));
    expect(err.code).to.equal('upload-failed');
    expect(err.message).to.match(/^The upload server answered 4\d\d\.$/);
    const aborted = new AbortController();
    aborted.abort();
    const s = server({ slot });
    expect(await failure(upload(s.conn, file(3), { signal: aborted.signal }))).to.include({ code: 'upload-cancelled' });
    expect(s.asked.some((a) => a.endsWith('request'))).to.equal(false);
  });
});

describe('attachments: accept lists', () => {
  const f = (name: string, type: string) => ({ name, type });
  it('matches like an input accept attribute', () => {
    expect(acceptsFile('image/*,.pdf', f('a.png', 'image/png'))).to.equal(true);
    expect(acceptsFile('image/*,.pdf', f('Report.PDF', 'application/pdf'))).to.equal(true);
    expect(acceptsFile('image/*, .pdf', f('doc.pdf', ''))).to.equal(true);
    expect(acceptsFile('image/*,.pdf', f('a.txt', 'text/plain'))).to.equal(false);
    expect(acceptsFile('image/*', f('imagefile', 'imagex/png'))).to.equal(false);
    expect(acceptsFile('application/pdf', f('a.pdf', 'application/pdf'))).to.equal(true);
    expect(acceptsFile('application/pdf', f('a.pdf', 'application/pdfx'))).to.equal(false);
    expect(acceptsFile('*/*', f('a.bin', ''))).to.equal(true);
    expect(acceptsFile('', f('a.bin', ''))).to.equal(true);
    expect(acceptsFile('.pdf', f('pdf', ''))).to.equal(false);
  });
});

describe('attachments: messages and rendering', () => {
  let el: HTMLElement;
  beforeEach(() => {
    el = document.createElement('div');
    el.style.width = '600px';
    document.body.append(el);
  });
  afterEach(() => el.remove());

  const file: ChatMessage = {
    key: 'o1', originId: 'o1', id: 'o1', conversation: 'bob@x', from: 'bob@x', direction: 'in', body: URL_, timestamp: 1, status: 'received',
    attachment: { url: URL_, name: 'cat pic.png', mediaType: 'image/png', width: 800, height: 600 },
  };

  it('a retraction removes the file; a correction to other text leaves text', () => {
    const act = { ref: 'o1', from: 'bob@x', room: false, t: 2 };
    expect(applyAction([file], { kind: 'retract', ...act })![0]!.attachment).to.equal(undefined);
    expect(applyAction([file], { kind: 'correct', ...act, body: 'oops, wrong chat' })![0]!.attachment).to.equal(undefined);
  });

  it('reserves an image\'s box from its dimensions before it loads, and keeps a fixed box without them', () => {
    const root = el.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = messageStyles.map((s) => s.styleSheet!);
    // A URL that never answers with an image: the box must not depend on the picture.
    const never = 'http://127.0.0.1:9/never.png';
    render(html`${renderAttachment({ ...file.attachment!, url: never }, 'en')}${renderAttachment({ url: never, name: 'x.png' }, 'en')}`, root);
    const [sized, box] = [...root.querySelectorAll('img')];
    expect(sized!.getBoundingClientRect().width).to.equal(280);
    expect(sized!.getBoundingClientRect().height).to.equal(210);
    expect(sized!.alt).to.equal('cat pic.png');
    expect(box!.getBoundingClientRect().width).to.equal(240);
    expect(box!.getBoundingClientRect().height).to.equal(180);
    expect(root.querySelector('a')!.rel).to.equal('noopener noreferrer');
  });

  it('shows other files as a card with name, size and a download link; media in native players', () => {
    render(html`${renderAttachment({ url: 'https://up.example/r.pdf', name: 'report.pdf', mediaType: 'application/pdf', size: 2_500_000 }, 'en')}
      ${renderAttachment({ url: 'https://up.example/v.webm', name: 'v.webm', mediaType: 'video/webm' }, 'en')}
      ${renderAttachment({ url: 'https://up.example/a.ogg', name: 'a.ogg' }, 'en')}`, el);
    expect(el.querySelector('.fname')!.textContent).to.equal('report.pdf');
    expect(el.querySelector('.fsize')!.textContent).to.equal(fileSize(2_500_000, 'en'));
    const a = el.querySelector<HTMLAnchorElement>('.file a')!;
    expect([a.href, a.rel, a.textContent]).to.deep.equal(['https://up.example/r.pdf', 'noopener noreferrer', 'Download']);
    expect(el.querySelector('video')!.controls).to.equal(true);
    expect(el.querySelector('audio')!.controls).to.equal(true);
    expect(el.querySelectorAll('img')).to.have.length(0);
  });

  it('formats sizes in steps of 1024 in the user\'s language', () => {
    expect(fileSize(10485760, 'en')).to.equal('10 MB');
    expect(fileSize(2_500_000, 'en')).to.equal('2.4 MB');
    expect(fileSize(512, 'en')).to.equal('512 byte');
    expect(fileSize(1536, 'de')).to.equal('1,5 kB');
  });
});
