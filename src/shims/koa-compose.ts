// Stands in for the CommonJS package koa-compose (which @xmpp/middleware runs every stanza
// through) in the bundle: the same function as an ES module, so no CommonJS wrapper and interop
// runtime ship for it.
type Middleware<C> = (context: C, next: () => Promise<unknown>) => unknown;
type Stack<C> = (Middleware<C> | Stack<C>)[];

const flatten = <C>(stack: Stack<C>): Middleware<C>[] => stack.flatMap((m) => (Array.isArray(m) ? flatten(m) : [m]));

export default function compose<C>(stack: Stack<C>) {
  if (!Array.isArray(stack)) throw new TypeError('Middleware stack must be an array!');
  const middleware = flatten(stack);
  if (middleware.some((fn) => typeof fn !== 'function')) throw new TypeError('Middleware must be composed of functions!');
  return (context: C, next?: Middleware<C>): Promise<unknown> => {
    let index = -1;
    const dispatch = (i: number): Promise<unknown> => {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'));
      index = i;
      const fn = i === middleware.length ? next : middleware[i];
      if (!fn) return Promise.resolve();
      try {
        return Promise.resolve(fn(context, dispatch.bind(null, i + 1)));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return dispatch(0);
  };
}
