// The board's pure parts in a real browser: scene operations on Yjs, undo scoping, convergence of
// peers exchanging updates in any order, canonical serialisation, wire chunking, hit-testing,
// rendering with culling, and export.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { xml } from '../../src/core/xmpp.js';
import { toPNG, toSVG } from '../../src/whiteboard/export.js';
import { penFields, simplify } from '../../src/whiteboard/freehand.js';
import { bounds, elementAt, elementsIn, hitTest } from '../../src/whiteboard/geometry.js';
import { BoardModel, REMOTE, canonicalOf } from '../../src/whiteboard/model.js';
import {
  MAX_STANZA_BYTES, Reassembler, buildCursor, buildPayloads, fromBase64, parseCursor, parsePayload, toBase64,
} from '../../src/whiteboard/protocol.js';
import { Renderer } from '../../src/whiteboard/renderer.js';
import type { BoardElement, NewElement } from '../../src/whiteboard/types.js';

/** Deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rect = (x: number, y: number, w = 40, h = 30): NewElement => ({ type: 'rectangle', x, y, w, h, color: '#ff0000', width: 2 });

/** Peers whose local updates are queued, to be delivered later in an order of the test's choosing. */
function peers(n: number) {
  const models = Array.from({ length: n }, (_, i) => new BoardModel(`user${i}@localhost`));
  const queues = models.map(() => [] as Uint8Array[]);
  models.forEach((m, i) => m.doc.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== REMOTE) queues[i]!.push(u); }));
  /** Delivers everything sent so far to everyone (each receiver gets a shuffled order). */
  const deliverAll = (rand = Math.random) => {
    const all = queues.flatMap((q, from) => q.splice(0).map((u) => ({ u, from })));
    models.forEach((m, to) => {
      const mine = all.filter((x) => x.from !== to).sort(() => rand() - 0.5);
      for (const { u } of mine) Y.applyUpdate(m.doc, u, REMOTE);
    });
  };
  return { models, deliverAll };
}

describe('whiteboard model', () => {
  it('adds, moves, restyles and removes elements; the plain view follows the document', () => {
    const m = new BoardModel('alice@localhost');
    const a = m.add(rect(10, 10));
    const b = m.add({ type: 'ellipse', x: 100, y: 0, w: 50, h: 50, color: '#00ff00', width: 3 });
    m.move([a], 5, -5);
    m.update(b, { color: '#0000ff' });
    expect(m.get(a)).to.include({ x: 15, y: 5, author: 'alice@localhost' });
    expect(m.get(b)!.color).to.equal('#0000ff');
    expect(m.ordered().map((e) => e.id)).to.deep.equal([a, b]);
    m.remove([a]);
    expect(m.get(a)).to.equal(undefined);
    const view = Object.fromEntries([...m.elements].map(([id, e]) => { const { id: _id, ...rest } = e; return [id, rest]; }));
    expect(canonicalOf(view)).to.equal(m.canonical());
  });

  it('canonical serialisation does not depend on the order changes arrived in', () => {
    const { models, deliverAll } = peers(2);
    const [p, q] = models as [BoardModel, BoardModel];
    p.add(rect(0, 0));
    q.add(rect(50, 50));
    expect(p.canonical()).not.to.equal(q.canonical());
    deliverAll();
    expect(p.canonical()).to.equal(q.canonical());
    expect(JSON.parse(p.canonical())).to.have.length(2);
  });

  it('undo and redo touch only our own actions, even after a peer drew on top', () => {
    const { models, deliverAll } = peers(2);
    const [alice, bob] = models as [BoardModel, BoardModel];
    const a1 = alice.add(rect(0, 0));
    const a2 = alice.add(rect(100, 0));
    deliverAll();
    const b1 = bob.add(rect(20, 20));
    deliverAll();
    alice.undo();
    deliverAll();
    for (const m of [alice, bob]) {
      expect(m.get(a2), 'alice\'s last stroke is gone').to.equal(undefined);
      expect(m.get(a1)).to.not.equal(undefined);
      expect(m.get(b1), 'bob\'s stroke stays').to.not.equal(undefined);
    }
    alice.redo();
    deliverAll();
    expect(bob.get(a2)).to.not.equal(undefined);
    // A drag is one undo step however many moves it makes.
    alice.move([a1], 1, 0);
    alice.move([a1], 1, 0, true);
    alice.move([a1], 1, 0, true);
    expect(alice.get(a1)!.x).to.equal(3);
    alice.undo();
    expect(alice.get(a1)!.x).to.equal(0);
    expect(bob.canUndo).to.equal(true);
    bob.undo();
    deliverAll();
    expect(alice.get(b1)).to.equal(undefined);
    expect(alice.get(a1)).to.not.equal(undefined);
  });

  it('three peers with seeded random concurrent operations converge', () => {
    for (const seed of [1, 7, 42]) {
      const rand = rng(seed);
      const { models, deliverAll } = peers(3);
      for (let step = 0; step < 300; step++) {
        const m = models[Math.floor(rand() * 3)]!;
        const ids = [...m.elements.keys()];
        const pick = () => ids[Math.floor(rand() * ids.length)]!;
        const r = rand();
        if (r < 0.4 || !ids.length) m.add(rect(rand() * 500, rand() * 500));
        else if (r < 0.6) m.move([pick()], rand() * 20 - 10, rand() * 20 - 10);
        else if (r < 0.7) m.remove([pick()]);
        else if (r < 0.8) m.undo();
        else if (r < 0.85) m.redo();
        else if (r < 0.9) m.bringForward([pick()]);
        else if (r < 0.95) m.update(pick(), { color: rand() < 0.5 ? '#000000' : '#ffffff' });
        else m.sendBackward([pick()]);
        if (rand() < 0.1) deliverAll(rand);
      }
      deliverAll(rand);
      const [a, b, c] = models.map((m) => m.canonical());
      expect(a, `seed ${seed}`).to.equal(b);
      expect(b, `seed ${seed}`).to.equal(c);
      // Every live element of the document is drawn (none lost fields to a concurrent undo).
      for (const m of models) expect(JSON.parse(m.canonical()).map((e: [string]) => e[0]).sort()).to.deep.equal([...m.elements.keys()].sort());
      // The plain views (what is drawn) agree too, in the same stacking order.
      const orders = models.map((m) => m.ordered().map((e) => e.id).join());
      expect(orders[0]).to.equal(orders[1]);
      expect(orders[1]).to.equal(orders[2]);
    }
  });

  it('undoing a delete restores the element whole although a peer moved it meanwhile', () => {
    const { models, deliverAll } = peers(2);
    const [alice, bob] = models as [BoardModel, BoardModel];
    const id = alice.add(rect(0, 0));
    deliverAll();
    alice.remove([id]);
    bob.move([id], 50, 50);
    deliverAll();
    expect(alice.get(id)).to.equal(undefined);
    alice.undo();
    deliverAll();
    for (const m of models) expect(m.get(id), 'drawn again, with its position').to.include({ x: 50, y: 50, w: 40 });
    expect(alice.canonical()).to.equal(bob.canonical());
  });

  it('purges old tombstones from the document, not recent ones', () => {
    const m = new BoardModel('a@localhost');
    const a = m.add(rect(0, 0));
    const b = m.add(rect(0, 0));
    m.remove([a, b]);
    expect(m.purge(60_000)).to.equal(0);
    expect(m.purge(60_000, Date.now() + 120_000)).to.equal(2);
    expect([...m.map.keys()]).to.deep.equal([]);
  });

  it('bring forward and send backward move one step in the stack', () => {
    const m = new BoardModel('a@localhost');
    const [a, b, c] = [m.add(rect(0, 0)), m.add(rect(0, 0)), m.add(rect(0, 0))];
    m.bringForward([a]);
    expect(m.ordered().map((e) => e.id)).to.deep.equal([b, a, c]);
    m.bringForward([a]);
    expect(m.ordered().map((e) => e.id)).to.deep.equal([b, c, a]);
    m.sendBackward([c]);
    expect(m.ordered().map((e) => e.id)).to.deep.equal([c, b, a]);
  });

  it('malformed elements from a peer are kept out of the drawn scene', () => {
    const m = new BoardModel('a@localhost');
    m.doc.transact(() => {
      m.map.set('bad1', new Y.Map<unknown>([['type', 'pen'], ['x', 'NaN']]));
      m.map.set('bad2', new Y.Map<unknown>([['type', 'image'], ['x', 0], ['y', 0], ['w', 1], ['h', 1], ['z', 1], ['color', '#000'], ['width', 1], ['src', 'javascript:alert(1)']]));
    }, REMOTE);
    expect(m.elements.size).to.equal(0);
  });
});

describe('whiteboard wire format', () => {
  it('base64 round-trips bytes', () => {
    const rand = rng(9);
    const bytes = Uint8Array.from({ length: 70_000 }, () => Math.floor(rand() * 256));
    expect(fromBase64(toBase64(bytes))).to.deep.equal(bytes);
  });

  it('a large update is chunked under the stanza limit and reassembles in any order', () => {
    const m = new BoardModel('a@localhost');
    const rand = rng(3);
    for (let i = 0; i < 400; i++) {
      const pts: number[] = [];
      for (let k = 0; k < 60; k++) pts.push(rand() * 300, rand() * 300, 0.5);
      m.add({ type: 'pen', color: '#123456', width: 3, ...penFields(pts) });
    }
    const update = Y.encodeStateAsUpdate(m.doc);
    let n = 0;
    const stanzas = buildPayloads('room@conference.localhost', 'update', update, () => `id${n++}`);
    expect(stanzas.length).to.be.greaterThan(2);
    for (const s of stanzas) {
      expect(new TextEncoder().encode(s.toString()).length).to.be.lessThan(MAX_STANZA_BYTES);
      expect(s.getChild('body'), 'no body: chat clients ignore it').to.equal(undefined);
      expect(s.getChild('store', 'urn:xmpp:hints')).to.not.equal(undefined);
    }
    const parts = stanzas.map((s) => parsePayload(s)!).reverse();
    const r = new Reassembler();
    const results = parts.map((p) => r.add('nick', p));
    const whole = results.filter((x) => x !== null);
    expect(whole).to.have.length(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, fromBase64(whole[0]!));
    expect(canonicalOf(copy.getMap('elements').toJSON())).to.equal(m.canonical());
  });

  it('rejects malformed payloads and keeps cursors unarchived', () => {
    const bad = xml('message', {}, xml('update', { xmlns: 'urn:x-cc:wb:0', id: 'x', i: '5', n: '2' }, 'AAAA'));
    expect(parsePayload(bad)).to.equal(null);
    const notB64 = xml('message', {}, xml('update', { xmlns: 'urn:x-cc:wb:0', id: 'x' }, '<script>'));
    expect(parsePayload(notB64)).to.equal(null);
    const c = buildCursor('room@conference.localhost', { x: 1.4, y: 2.6, name: 'Alice', color: '#ff0000' });
    expect(c.getChild('no-store', 'urn:xmpp:hints')).to.not.equal(undefined);
    expect(c.getChild('no-permanent-store', 'urn:xmpp:hints')).to.not.equal(undefined);
    expect(parseCursor(c)).to.deep.equal({ x: 1, y: 3, name: 'Alice', color: '#ff0000', gone: false });
  });

  it('the reassembler stays bounded when chunks never complete', () => {
    const r = new Reassembler(1000);
    for (let i = 0; i < 100; i++) r.add('evil', { kind: 'update', id: `p${i}`, i: 0, n: 3, data: 'A'.repeat(100) });
    expect(r.pending('evil', 'update', 'p0')).to.equal(false);
    expect(r.pending('evil', 'update', 'p99')).to.equal(true);
  });
});

describe('whiteboard geometry', () => {
  const el = (e: Partial<BoardElement>): BoardElement => ({ id: 'e', type: 'rectangle', x: 0, y: 0, w: 100, h: 50, color: '#000', width: 2, z: 1, author: 'a', ...e });

  it('hit-tests strokes near their line, shapes inside or on their outline', () => {
    const pen = el({ type: 'pen', ...penFields([0, 0, 0.5, 100, 0, 0.5, 100, 100, 0.5]) });
    expect(hitTest(pen, { x: 50, y: 1 }, 2)).to.equal(true);
    expect(hitTest(pen, { x: 50, y: 50 }, 2)).to.equal(false);
    const r = el({});
    expect(hitTest(r, { x: 50, y: 25 }, 2)).to.equal(true);
    expect(hitTest(r, { x: 50, y: 25 }, 2, false)).to.equal(false);
    expect(hitTest(r, { x: 100, y: 25 }, 2, false)).to.equal(true);
    const e = el({ type: 'ellipse' });
    expect(hitTest(e, { x: 2, y: 2 }, 1)).to.equal(false);
    expect(hitTest(e, { x: 50, y: 0 }, 2, false)).to.equal(true);
    const arrow = el({ type: 'arrow', x: 100, y: 100, w: -100, h: -100 });
    expect(hitTest(arrow, { x: 50, y: 50 }, 2)).to.equal(true);
    expect(hitTest(arrow, { x: 80, y: 20 }, 2)).to.equal(false);
    expect(bounds(arrow).x).to.be.lessThan(0);
  });

  it('finds the topmost element and the ones inside a marquee', () => {
    const a = el({ id: 'a', z: 1 });
    const b = el({ id: 'b', z: 2, x: 50 });
    expect(elementAt([a, b], { x: 60, y: 10 }, 1)!.id).to.equal('b');
    expect(elementsIn([a, b], { x: -5, y: -5, w: 110, h: 60 }).map((x) => x.id)).to.deep.equal(['a']);
  });

  it('simplifies strokes and stores their points relative to their box', () => {
    const pts: number[] = [];
    for (let i = 0; i <= 100; i++) pts.push(10 + i, 20, 0.5);
    const s = simplify(pts, 0.5);
    expect(s).to.deep.equal([10, 20, 0.5, 110, 20, 0.5]);
    expect(penFields(s)).to.deep.equal({ x: 10, y: 20, w: 100, h: 0, pw: 100, ph: 0, points: [0, 0, 0.5, 100, 0, 0.5] });
  });
});

describe('whiteboard rendering and export', () => {
  const pixel = (c: HTMLCanvasElement, x: number, y: number) => [...c.getContext('2d')!.getImageData(x, y, 1, 1).data];

  it('draws at device pixel ratio, culls off-screen elements, and redraws only dirty regions', () => {
    const m = new BoardModel('a@localhost');
    const canvas = document.createElement('canvas');
    const r = new Renderer(canvas, m, () => {});
    r.resize(200, 100, 2);
    expect([canvas.width, canvas.height]).to.deep.equal([400, 200]);
    m.add({ ...rect(10, 10, 50, 50), width: 4 });
    for (let i = 0; i < 100; i++) m.add(rect(5000 + i * 10, 5000));
    r.invalidateAll();
    r.render();
    expect(r.stats.fullRedraws).to.equal(1);
    expect(r.stats.drawn, 'far-away elements are culled').to.equal(1);
    // The rectangle's left edge at x=10 world = 20 device px.
    expect(pixel(canvas, 20, 60)[0]).to.equal(255);
    expect(pixel(canvas, 60, 60)[3], 'inside an outline stays empty').to.equal(0);
    const id = m.add(rect(100, 10, 20, 20));
    r.invalidate([id]);
    const drawnBefore = r.stats.drawn;
    r.render();
    expect(r.stats.fullRedraws).to.equal(1);
    expect(r.stats.regionRedraws).to.equal(1);
    expect(r.stats.drawn - drawnBefore).to.equal(1);
    expect(pixel(canvas, 200, 40)[0]).to.equal(255);
    // Panning within the buffer is a blit, not a redraw.
    r.panBy(-20, 0);
    r.render();
    expect(r.stats.fullRedraws).to.equal(1);
    expect(pixel(canvas, 160, 40)[0]).to.equal(255);
  });

  it('exports SVG with every element and text escaped', async () => {
    const m = new BoardModel('a@localhost');
    m.add(rect(0, 0));
    m.add({ type: 'ellipse', x: 50, y: 0, w: 20, h: 20, color: '#00f', width: 2 });
    m.add({ type: 'arrow', x: 0, y: 80, w: 60, h: 0, color: '#0f0', width: 2 });
    m.add({ type: 'pen', color: '#000', width: 3, ...penFields([0, 0, 0.5, 30, 30, 0.5, 60, 0, 0.5]) });
    m.add({ type: 'text', x: 0, y: 120, w: 100, h: 20, text: '<img src=x onerror=alert(1)> & "hi"', fontSize: 16, color: '#000', width: 1 });
    const svg = toSVG(m.ordered());
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).to.equal(null);
    expect(doc.querySelectorAll('[data-type]').length).to.equal(5);
    expect(doc.querySelector('img')).to.equal(null);
    expect(doc.querySelector('text')!.textContent).to.equal('<img src=x onerror=alert(1)> & "hi"');
  });

  it('exports a PNG with the elements painted', async () => {
    const m = new BoardModel('a@localhost');
    m.add({ type: 'rectangle', x: 0, y: 0, w: 100, h: 100, color: '#ff0000', width: 10 });
    const blob = await toPNG(m.ordered(), 1);
    expect(blob.type).to.equal('image/png');
    const bmp = await createImageBitmap(blob);
    const c = document.createElement('canvas');
    c.width = bmp.width;
    c.height = bmp.height;
    c.getContext('2d')!.drawImage(bmp, 0, 0);
    // Padding 16 + bounds padding 10: the left edge of the rectangle is near x=26.
    expect(pixel(c, 26, 60).slice(0, 3)).to.deep.equal([255, 0, 0]);
    expect(pixel(c, 70, 70).slice(0, 3), 'inside is background').to.deep.equal([255, 255, 255]);
  });
});
