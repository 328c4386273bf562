// Demo only: the host site's own login buttons; the chat itself is configured by attributes alone.
import '../src/cc.js';

declare const __CC_DEMO_SERVICE__: string;

async function go(path: string) {
  await fetch(path, { credentials: 'include' });
  location.reload();
}
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-user]')) {
  b.onclick = () => void go(`/api/demo-login?user=${b.dataset.user}`);
}
document.querySelector<HTMLButtonElement>('#logout')!.onclick = () => void go('/api/demo-logout');

const chat = document.createElement('cc-chat');
chat.setAttribute('mode', 'split');
chat.setAttribute('service', typeof __CC_DEMO_SERVICE__ === 'string' ? __CC_DEMO_SERVICE__ : 'ws://localhost:5280/xmpp-websocket');
chat.setAttribute('credentials-url', '/api/chat-login');
document.querySelector('main')!.append(chat);
