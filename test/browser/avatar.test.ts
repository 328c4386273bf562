import { expect } from '@open-wc/testing';
import {
  avatarId, imageFromVcard, metadataEvent, parseMetadata, presencePhoto,
} from '../../src/core/protocol/avatar.js';
import { capsString, capsVer } from '../../src/core/protocol/disco.js';
import { parseXml } from './call-xml.js';

describe('avatar protocol', () => {
  it('reads the first raster entry of XEP-0084 metadata, skipping SVG, oversize and URL entries', () => {
    const meta = parseXml(`<metadata xmlns="urn:xmpp:avatar:metadata">
      <info id="AA11" type="image/svg+xml" bytes="100"/>
      <info id="bb22" type="image/png" bytes="999999999"/>
      <info id="cc33" type="image/png" bytes="100" url="https://elsewhere.example/a.png"/>
      <info id="DD44" type="image/webp" bytes="1200" width="64" height="64"/>
    </metadata>`);
    expect(parseMetadata(meta)).to.deep.equal({ id: 'dd44', type: 'image/webp', bytes: 1200 });
    expect(parseMetadata(parseXml('<metadata xmlns="urn:xmpp:avatar:metadata"/>'))).to.equal(null);
  });

  it('turns a PEP notification into a hint, and an empty one into "removed"', () => {
    const ev = (payload: string) => parseXml(`<message xmlns="jabber:client" from="Bob@x/phone"><event xmlns="http://jabber.org/protocol/pubsub#event">
      <items node="urn:xmpp:avatar:metadata"><item id="ab">${payload}</item></items></event></message>`);
    expect(metadataEvent(ev('<metadata xmlns="urn:xmpp:avatar:metadata"><info id="ab" type="image/png" bytes="5"/></metadata>')))
      .to.deep.equal({ jid: 'bob@x', id: 'ab' });
    expect(metadataEvent(ev('<metadata xmlns="urn:xmpp:avatar:metadata"/>'))).to.deep.equal({ jid: 'bob@x', id: undefined });
    expect(metadataEvent(parseXml('<message xmlns="jabber:client" from="bob@x"><body>hi</body></message>'))).to.equal(null);
  });

  it('reads XEP-0153 presence hashes: a hash, "no photo", or nothing said', () => {
    const p = (x: string) => parseXml(`<presence xmlns="jabber:client" from="bob@x/a">${x}</presence>`);
    expect(presencePhoto(p('<x xmlns="vcard-temp:x:update"><photo>ABC</photo></x>'))).to.equal('abc');
    expect(presencePhoto(p('<x xmlns="vcard-temp:x:update"><photo/></x>'))).to.equal('');
    expect(presencePhoto(p('<x xmlns="vcard-temp:x:update"/>'))).to.equal(undefined);
    expect(presencePhoto(p(''))).to.equal(undefined);
  });

  it('takes vCard photos only as raster images with valid base64', () => {
    const v = (type: string, data: string) => parseXml(`<iq xmlns="jabber:client" type="result"><vCard xmlns="vcard-temp"><PHOTO><TYPE>${type}</TYPE><BINVAL>${data}</BINVAL></PHOTO></vCard></iq>`);
    const ok = imageFromVcard(v('image/png', 'iVBO\nRw0K'));
    expect(ok?.type).to.equal('image/png');
    expect([...ok!.data.slice(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
    expect(imageFromVcard(v('image/svg+xml', 'PHN2Zz4='))).to.equal(null);
    expect(imageFromVcard(v('image/png', 'not base64!'))).to.equal(null);
    expect(imageFromVcard(v('image/png', 'A'.repeat(400_000)))).to.equal(null);
  });

  it('names images by the SHA-1 of their bytes', async () => {
    expect(await avatarId(new TextEncoder().encode('abc'))).to.equal('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('entity capabilities (XEP-0115)', () => {
  it('computes the verification string and hash of the XEP-0115 §5.2 simple example', async () => {
    const ids = [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }];
    const features = ['http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info',
      'http://jabber.org/protocol/disco#items', 'http://jabber.org/protocol/muc'];
    expect(capsString(ids, features)).to.equal('client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<'
      + 'http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<');
    expect(await capsVer(ids, features)).to.equal('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });
});
