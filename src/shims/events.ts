// Stands in for the `events` package (Node's EventEmitter for browsers) in the bundle. The XMPP
// library and its XML parser only use the methods below; the full polyfill (max-listener warnings,
// 'newListener'/'removeListener' events, static helpers) weighed 2 KB gzip of the size budget.
// Semantics kept from Node: listeners run in order on a copy of the list, with `this` the emitter;
// removal takes the newest matching listener (once-wrappers match their original); an 'error'
// nobody listens to throws.
type Listener = ((...args: never[]) => unknown) & { listener?: Listener };

export class EventEmitter {
  private ev = new Map<string | symbol, Listener[]>();

  private add(type: string | symbol, fn: Listener, first: boolean): this {
    const list = this.ev.get(type) ?? [];
    if (first) list.unshift(fn);
    else list.push(fn);
    this.ev.set(type, list);
    return this;
  }

  on(type: string | symbol, fn: Listener): this {
    return this.add(type, fn, false);
  }

  addListener(type: string | symbol, fn: Listener): this {
    return this.add(type, fn, false);
  }

  prependListener(type: string | symbol, fn: Listener): this {
    return this.add(type, fn, true);
  }

  once(type: string | symbol, fn: Listener): this {
    const wrap: Listener = (...args) => {
      this.removeListener(type, wrap);
      return (fn as (...a: unknown[]) => unknown).apply(this, args);
    };
    wrap.listener = fn;
    return this.add(type, wrap, false);
  }

  removeListener(type: string | symbol, fn: Listener): this {
    const list = this.ev.get(type) ?? [];
    let i = list.length;
    while (i-- > 0 && list[i] !== fn && list[i].listener !== fn);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.ev.delete(type);
    return this;
  }

  off(type: string | symbol, fn: Listener): this {
    return this.removeListener(type, fn);
  }

  removeAllListeners(type?: string | symbol): this {
    if (type === undefined) this.ev.clear();
    else this.ev.delete(type);
    return this;
  }

  emit(type: string | symbol, ...args: unknown[]): boolean {
    const list = this.ev.get(type);
    if (!list && type === 'error') {
      const e = args[0];
      throw e instanceof Error ? e : new Error(`Unhandled error. (${String(e)})`);
    }
    for (const l of [...(list ?? [])]) (l as (...a: unknown[]) => unknown).apply(this, args);
    return !!list;
  }

  listeners(type: string | symbol): Listener[] {
    return (this.ev.get(type) ?? []).map((l) => l.listener ?? l);
  }

  listenerCount(type: string | symbol): number {
    return this.ev.get(type)?.length ?? 0;
  }

  setMaxListeners(): this {
    return this;
  }
}

export default EventEmitter;
