// Demo only: signs the page's cc-* elements in as a seeded dev user (`?as=bob`; default per page)
// and then loads the elements. A real site writes these attributes in its HTML or uses
// credentials-url; guests (`anonymous`) need no account.
declare const __CC_DEMO_SERVICE__: string | undefined;

const DEV_ONLY_PASSWORDS: Record<string, string> = { alice: 'alicepw', bob: 'bobpw', carol: 'carolpw' };

export const demoService = new URLSearchParams(location.search).get('service')
  ?? (typeof __CC_DEMO_SERVICE__ === 'string' ? __CC_DEMO_SERVICE__ : 'ws://localhost:5280/xmpp-websocket');

/** Signs every cc-* element in as `?as=` (or `fallback`), shows who is signed in, loads cc. */
export async function signIn(fallback = 'alice'): Promise<string> {
  const user = new URLSearchParams(location.search).get('as') ?? fallback;
  for (const el of document.querySelectorAll('cc-chat, cc-call, cc-whiteboard')) {
    el.setAttribute('service', demoService);
    if (el.hasAttribute('anonymous')) continue;
    el.setAttribute('jid', `${user}@localhost`);
    el.setAttribute('password', DEV_ONLY_PASSWORDS[user] ?? '');
  }
  for (const el of document.querySelectorAll('[data-signed-in]')) el.textContent = `${user}@localhost`;
  // Attributes first, then the elements: they read their account when they upgrade.
  await import('../src/cc.js');
  return user;
}
