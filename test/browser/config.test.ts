import { expect } from '@open-wc/testing';
import { accountKey, isProblem, parseConfig } from '../../src/core/config.js';

describe('parseConfig', () => {
  it('accepts jid + password and derives the domain from the jid', () => {
    const c = parseConfig({ service: 'wss://chat.example.com/ws', jid: 'alice@example.com', password: 'x' });
    expect(isProblem(c)).to.equal(false);
    if (!isProblem(c)) {
      expect(c.domain).to.equal('example.com');
      expect(c.login).to.deep.equal({ kind: 'password', jid: 'alice@example.com', password: 'x' });
    }
  });

  it('names the attribute that is wrong or missing', () => {
    expect(parseConfig({ service: 'http://x', jid: 'a@b', password: 'p' })).to.include({ code: 'invalid-attribute', attribute: 'service' });
    expect(parseConfig({ service: 'not a url', jid: 'a@b', password: 'p' })).to.include({ attribute: 'service' });
    expect(parseConfig({ service: 'wss://x/ws', jid: 'alice', password: 'p' })).to.include({ code: 'invalid-attribute', attribute: 'jid' });
    expect(parseConfig({ service: 'wss://x/ws', jid: 'a@b' })).to.include({ code: 'missing-attribute', attribute: 'password' });
    expect(parseConfig({ service: 'wss://x/ws' })).to.include({ code: 'missing-attribute', attribute: 'jid' });
  });

  it('supports anonymous and credentials-url logins', () => {
    const anon = parseConfig({ service: 'ws://localhost:1/ws', domain: 'guest.localhost', anonymous: '', nick: 'Visitor' });
    expect(anon).to.deep.include({ domain: 'guest.localhost', login: { kind: 'anonymous', nick: 'Visitor' } });
    const url = parseConfig({ service: 'wss://x/ws', 'credentials-url': '/api/login' });
    expect(url).to.deep.include({ login: { kind: 'credentials-url', url: '/api/login' } });
  });

  it('keys sessions by account and server', () => {
    const a = parseConfig({ service: 'wss://x/ws', jid: 'a@x', password: 'p' });
    const b = parseConfig({ service: 'wss://x/ws', jid: 'a@x', password: 'p' });
    const c = parseConfig({ service: 'wss://y/ws', jid: 'a@x', password: 'p' });
    if (isProblem(a) || isProblem(b) || isProblem(c)) throw new Error('unexpected problem');
    expect(accountKey(a)).to.equal(accountKey(b));
    expect(accountKey(a)).not.to.equal(accountKey(c));
  });
});
