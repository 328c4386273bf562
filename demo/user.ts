// Demo only: picks a seeded user from the URL. A real site writes the attributes in its HTML.
import '../src/cc.js';

declare const __CC_DEMO_SERVICE__: string;

const DEV_ONLY_PASSWORDS: Record<string, string> = { alice: 'alicepw', bob: 'bobpw', carol: 'carolpw' };
const params = new URLSearchParams(location.search);
const me = params.get('as') ?? 'alice';
const peer = params.get('with') ?? 'bob';
const chat = document.createElement('cc-chat');
chat.setAttribute('mode', 'split');
chat.setAttribute('online-users', '');
chat.setAttribute('service', typeof __CC_DEMO_SERVICE__ === 'string' ? __CC_DEMO_SERVICE__ : 'ws://localhost:5280/xmpp-websocket');
chat.setAttribute('jid', `${me}@localhost`);
chat.setAttribute('password', DEV_ONLY_PASSWORDS[me] ?? '');
chat.setAttribute('with', `${peer}@localhost`);
document.body.append(chat);
