// Valid PNGs made here, so tests need no image files.
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** @param {number} width @param {number} height @param {(y: number) => Buffer} row RGB bytes of row y */
function png(width, height, row) {
  const chunk = (/** @type {string} */ type, /** @type {Buffer} */ data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, (_, y) => Buffer.concat([Buffer.from([0]), row(y)]))));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A square PNG of one colour. @param {number} size @param {[number, number, number]} rgb @returns {Buffer} */
export function solidPng(size, rgb) {
  const row = Buffer.from(Array.from({ length: size }, () => rgb).flat());
  return png(size, size, () => row);
}

/** A PNG of random pixels: it does not compress, so its size in bytes is about 3 × width × height. */
export function noisePng(/** @type {number} */ width, /** @type {number} */ height) {
  return png(width, height, () => randomBytes(width * 3));
}
