/**
 * The device, net and protocol layers use the core's canonical codec (src/core/encoding.ts):
 * one implementation of every length, range and point check.
 */
export { ByteReader, ByteWriter, equalBytes, hexToBytesStrict, toHex, utf8 } from '../core/encoding.ts';
