// Guarded definition: a second copy of the bundle on the page, or a late load, must not throw.
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
