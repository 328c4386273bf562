// Stands in for the UMD package sasl-anonymous (see saslmechanisms.ts).
import type { Credentials } from './saslmechanisms.js';

export default class Anonymous {
  response(cred: Credentials): string {
    return cred.trace || '';
  }

  challenge(): void {}
}
Object.assign(Anonymous.prototype, { name: 'ANONYMOUS', clientFirst: true });
