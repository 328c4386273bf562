// Stands in for the CommonJS/UMD package saslmechanisms in the bundle, as do sasl-plain.ts and
// sasl-anonymous.ts for theirs: the same few lines as ES modules (the CommonJS wrappers and the
// interop runtime they needed weighed more than the code). @xmpp/client reads `_mechs` and each
// mechanism's prototype `name`.
type Mechanism = new () => object;

export default class Factory {
  _mechs: { name: string; mech: Mechanism }[] = [];

  use(name: string | Mechanism, mech?: Mechanism): this {
    if (!mech) {
      mech = name as Mechanism;
      name = (mech.prototype as { name: string }).name;
    }
    this._mechs.push({ name: name as string, mech });
    return this;
  }

  /** The first registered mechanism among `names` (registration order is preference order). */
  create(names: string[]): object | null {
    for (const { name, mech } of this._mechs) if (names.includes(name)) return new mech();
    return null;
  }
}

export interface Credentials { authzid?: string; username?: string; password?: string; trace?: string }
