import { expect } from '@open-wc/testing';
import { loadLocale, t } from '../../src/elements/i18n.js';
import de from '../../src/locales/de.js';
import es from '../../src/locales/es.js';
import fr from '../../src/locales/fr.js';

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

  it('every catalog translates the same strings', () => {
    const keys = (c: object) => Object.keys(c).sort();
    expect(keys(fr)).to.deep.equal(keys(de));
    expect(keys(es)).to.deep.equal(keys(de));
  });
});
