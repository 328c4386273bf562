// Angular, compiled just in time in the browser (no Angular CLI): CUSTOM_ELEMENTS_SCHEMA lets the
// template use <cc-chat>, `[attr.with]` binds the attribute and `(cc-message)` listens to the DOM event.
import '@angular/compiler';
import { Component, CUSTOM_ELEMENTS_SCHEMA, provideZonelessChangeDetection, signal } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import type { CcConnectionChangeDetail, CcMessageDetail } from 'cc';
import { demoAccount } from '../config.js';

@Component({
  selector: 'demo-app',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main class="demo">
      <header>
        <h1>cc in Angular</h1>
        <label>Talk to <input [value]="peer()" (input)="peer.set($any($event.target).value)"></label>
        <p role="status">Connection: <strong>{{ state() }}</strong></p>
      </header>
      <cc-chat mode="embedded" [attr.service]="account.service" [attr.jid]="account.jid" [attr.password]="account.password" [attr.with]="peer()"
        (cc-connection-change)="onState($event)" (cc-message)="onMessage($event)"></cc-chat>
      <section>
        <h2>Received (from the cc-message event)</h2>
        <ul aria-label="Received">
          @for (m of received(); track $index) { <li>{{ m.from }}: {{ m.text }}</li> }
        </ul>
      </section>
    </main>`,
})
class DemoComponent {
  readonly account = demoAccount();
  readonly peer = signal(this.account.peer);
  readonly state = signal('connecting');
  readonly received = signal<CcMessageDetail[]>([]);

  onState(e: Event) {
    this.state.set((e as CustomEvent<CcConnectionChangeDetail>).detail.state);
  }

  onMessage(e: Event) {
    const detail = (e as CustomEvent<CcMessageDetail>).detail;
    this.received.update((r) => [...r, detail]);
  }
}

// Angular inserts elements before it applies their bindings, while cc-chat reads its account
// attributes when it is inserted; defining the elements after the first render lets them upgrade
// with every binding in place.
bootstrapApplication(DemoComponent, { providers: [provideZonelessChangeDetection()] })
  .then(() => import('cc'))
  .catch((e) => console.error(e));
