// React 19 passes props to custom elements as properties (attributes before the element upgrades)
// and turns `on<event-name>` props into addEventListener('<event-name>'), so cc-* events need no refs.
import { StrictMode, useState, type DetailedHTMLProps, type HTMLAttributes } from 'react';
import { createRoot } from 'react-dom/client';
import 'cc';
import type { CcChat, CcConnectionChangeDetail, CcMessageDetail } from 'cc';
import { demoAccount } from '../config.js';

type CcChatProps = DetailedHTMLProps<HTMLAttributes<CcChat>, CcChat> & Partial<Pick<CcChat, 'mode' | 'service' | 'jid' | 'password' | 'with'>> & {
  'oncc-connection-change'?: (e: CustomEvent<CcConnectionChangeDetail>) => void;
  'oncc-message'?: (e: CustomEvent<CcMessageDetail>) => void;
};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements { 'cc-chat': CcChatProps }
  }
}

const account = demoAccount();

function App() {
  const [peer, setPeer] = useState(account.peer);
  const [state, setState] = useState('connecting');
  const [received, setReceived] = useState<CcMessageDetail[]>([]);
  return (
    <main className="demo">
      <header>
        <h1>cc in React 19</h1>
        <label>Talk to <input value={peer} onChange={(e) => setPeer(e.target.value)} /></label>
        <p role="status">Connection: <strong>{state}</strong></p>
      </header>
      <cc-chat mode="embedded" service={account.service} jid={account.jid} password={account.password} with={peer}
        oncc-connection-change={(e) => setState(e.detail.state)}
        oncc-message={(e) => setReceived((r) => [...r, e.detail])} />
      <section>
        <h2>Received (from the cc-message event)</h2>
        <ul aria-label="Received">{received.map((m, i) => <li key={i}>{m.from}: {m.text}</li>)}</ul>
      </section>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
