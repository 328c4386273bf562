// Stands in for the UMD package sasl-plain (see saslmechanisms.ts).
import type { Credentials } from './saslmechanisms.js';

export default class Plain {
  response(cred: Credentials): string {
    return `${cred.authzid || ''}\0${cred.username}\0${cred.password}`;
  }

  challenge(): this {
    return this;
  }
}
Object.assign(Plain.prototype, { name: 'PLAIN', clientFirst: true });
