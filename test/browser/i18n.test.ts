import { expect } from '@open-wc/testing';
import { loadLocale, t, uiDir, uiLang } from '../../src/elements/i18n.js';

describe('i18n', () => {
  it('shows English until a catalog is loaded, then the language, with {vars} filled in', async () => {
    expect(t('de-AT', 'Open chat')).to.equal('Open chat');
    expect(await loadLocale('de-AT')).to.equal(true);
    expect(await loadLocale('de')).to.equal(false); // already there
    expect(t('de-AT', 'Open chat')).to.equal('Chat öffnen');
    expect(t('de', 'Report {name}', { name: 'Bob' })).to.equal('Bob melden');
    expect(t('de', 'Not a known string {x}', { x: 1 })).to.equal('Not a known string 1');
    expect(t('en', 'Open chat')).to.equal('Open chat');
    expect(await loadLocale('xx')).to.equal(false);
  });

  it('picks plural forms by the language\'s rules', async () => {
    await loadLocale('fr');
    expect(t('fr', '{n} unread', { n: 1 })).to.equal('1 non lu');
    expect(t('fr', '{n} unread', { n: 3 })).to.equal('3 non lus');
  });

  it('uses Russian and Arabic plural categories (one/few/many, dual)', async () => {
    await Promise.all([loadLocale('ru'), loadLocale('ar')]);
    expect([1, 3, 5, 21].map((n) => t('ru', '{n} unread', { n }))).to.deep.equal(['1 непрочитанное', '3 непрочитанных', '5 непрочитанных', '21 непрочитанное']);
    expect(t('ar', '{n} in the room', { n: 2 })).to.equal('شخصان في الغرفة');
    expect(t('ar', '{n} in the room', { n: 4 })).to.equal('4 أشخاص في الغرفة');
  });

  it('finds the language through shadow roots, and the direction it implies unless a closer dir decides', () => {
    const page = document.createElement('div');
    page.innerHTML = '<section lang="ar"><span id="host"></span></section><section lang="ar" dir="ltr"><span id="ltr-host"></span></section>'
      + '<section lang="ar" dir="rtl"><span id="en" lang="en"></span><span id="ar"></span></section>';
    document.body.append(page);
    try {
      const inner = document.createElement('b');
      page.querySelector('#host')!.attachShadow({ mode: 'open' }).append(inner);
      expect(uiLang(inner)).to.equal('ar');
      expect(uiDir(inner)).to.equal('rtl');
      expect(uiDir(page.querySelector('#ltr-host')!)).to.equal('', 'the page says ltr for this Arabic part');
      expect(uiDir(page.querySelector('#ar')!)).to.equal('', 'dir="rtl" given where the language is');
      expect(uiDir(page.querySelector('#en')!)).to.equal('ltr', 'an English widget in an Arabic page');
    } finally {
      page.remove();
    }
  });
});
