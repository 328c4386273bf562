// Demo only: which account the demo logs in with. `npm start` serves the seeded alice (talking to
// bob); the end-to-end test passes fresh accounts in the URL. A real site writes these in its HTML or
// uses credentials-url.
declare const __CC_DEMO_SERVICE__: string | undefined;

const DEV_ONLY_PASSWORDS: Record<string, string> = { 'alice@localhost': 'alicepw', 'bob@localhost': 'bobpw', 'carol@localhost': 'carolpw' };

export interface DemoAccount { service: string; jid: string; password: string; peer: string }

export function demoAccount(): DemoAccount {
  const q = new URLSearchParams(location.search);
  const jid = q.get('jid') ?? 'alice@localhost';
  return {
    service: q.get('service') ?? (typeof __CC_DEMO_SERVICE__ === 'string' ? __CC_DEMO_SERVICE__ : 'ws://localhost:5280/xmpp-websocket'),
    jid,
    password: q.get('password') ?? DEV_ONLY_PASSWORDS[jid] ?? '',
    peer: q.get('with') ?? 'bob@localhost',
  };
}
