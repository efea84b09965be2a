// One PNG file as grey luminance in [0, 1] or, when asked, as red, green and
// blue channels in [0, 1] stored last, [H, W, 3] (alpha ignored either way). pngjs decodes the
// pixels, but only after the file's structure has been checked here: every
// chunk inside the file and its CRC right, the declared size within bounds and
// within what the compressed data can hold, and the image data decompressing
// to exactly the bytes that size needs. pngjs itself would allocate whatever
// the header declares and fill a short image with zeros.
import { crc32, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { formatBytes } from '../files/readRegularFile';
import { DEFLATE_MAX_RATIO, MAX_IMAGE_PIXELS } from './bounds';
import { DataError } from './dataset';
import { readRawBytes } from './readBytes';

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** width * height values, or with `colour` width * height * 3. */
  readonly values: Float32Array;
}

export interface ImageOptions {
  /** Red, green and blue as three channels instead of one luminance value per pixel. */
  colour?: boolean;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Length, type and CRC around every chunk's data. */
const CHUNK_OVERHEAD = 12;
const MAX_CHUNK_LENGTH = 2 ** 31 - 1;
/** Samples per pixel of each colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16],
};
const KNOWN_CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);
/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

interface Header {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  readonly interlaced: boolean;
}

interface Structure {
  readonly header: Header;
  readonly imageData: Buffer[];
  /** Where the IEND chunk ends: anything after it is not part of the image. */
  readonly end: number;
}

export function readPixels(file: string, options: ImageOptions = {}): Pixels {
  // PNG compresses its own data; a gzipped PNG is no PNG, and is not unpacked.
  const bytes = readRawBytes(file);
  const { header, imageData, end } = checkStructure(file, bytes);
  checkImageData(file, header, Buffer.concat(imageData));
  let png: PNG;
  try {
    png = PNG.sync.read(bytes.subarray(0, end));
  } catch (e) {
    throw new DataError(file, `not a readable PNG image (${(e as Error).message})`);
  }
  const { width, height, data } = png;
  if (options.colour) return { width, height, values: Float32Array.from({ length: width * height * 3 }, (_, i) => data[4 * Math.floor(i / 3) + (i % 3)] / 255) };
  const values = new Float32Array(width * height);
  for (let p = 0; p < values.length; p++) {
    const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
    // ITU-R 601 luma weights, as Python's PIL uses, so images read as they do there;
    // grey pixels skip the weighting so that they read back exactly as value / 255.
    values[p] = r === g && g === b ? r / 255 : (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  return { width, height, values };
}

/** Walks the chunks from the signature to IEND, checking each one's bounds and CRC and the header's fields. */
function checkStructure(file: string, bytes: Buffer): Structure {
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new DataError(file, 'wrong magic number: not a PNG file (PNG files start with \\x89PNG)');
  }
  let header: Header | undefined;
  const imageData: Buffer[] = [];
  for (let at = SIGNATURE.length; ;) {
    const cutOff = (inside: string) => new DataError(file, `truncated: the PNG ends after ${bytes.length} bytes${inside}, before its IEND end chunk`);
    if (at + CHUNK_OVERHEAD > bytes.length) throw cutOff(at === bytes.length ? '' : `, inside the chunk at byte ${at}`);
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new DataError(file, `corrupt: the chunk at byte ${at} has type bytes ${hexBytes(bytes.subarray(at + 4, at + 8))}, not four letters`);
    if (length > MAX_CHUNK_LENGTH) throw new DataError(file, `corrupt: chunk ${type} at byte ${at} declares ${length} bytes, more than PNG allows`);
    const dataEnd = at + 8 + length;
    if (dataEnd + 4 > bytes.length) throw cutOff(`, inside chunk ${type} at byte ${at} (which declares ${length} bytes)`);
    const data = bytes.subarray(at + 8, dataEnd);
    const stored = bytes.readUInt32BE(dataEnd);
    const computed = crc32(bytes.subarray(at + 4, dataEnd));
    if (stored !== computed) {
      throw new DataError(file, `corrupt: chunk ${type} at byte ${at} has a bad CRC (stored ${hex32(stored)}, computed ${hex32(computed)})`);
    }
    if (!header) {
      if (type !== 'IHDR') throw new DataError(file, `corrupt: the first chunk is ${type}, but a PNG starts with its IHDR header chunk`);
      header = readHeader(file, data);
    } else if (type === 'IDAT') {
      imageData.push(data);
    } else if (type === 'IEND') {
      if (imageData.length === 0) throw new DataError(file, 'corrupt: it holds no image data (no IDAT chunk)');
      return { header, imageData, end: dataEnd + 4 };
    } else if (isCritical(type) && !KNOWN_CRITICAL.has(type)) {
      // A decoder must not skip a critical chunk it does not know (pngjs would say "unrecognised content at end of stream").
      throw new DataError(file, `corrupt or unsupported: chunk ${type} at byte ${at} is a critical chunk PNG does not define`);
    }
    at = dataEnd + 4;
  }
}

function readHeader(file: string, data: Buffer): Header {
  if (data.length !== 13) throw new DataError(file, `corrupt: the IHDR header chunk holds ${data.length} bytes instead of 13`);
  const width = data.readUInt32BE(0), height = data.readUInt32BE(4);
  const [bitDepth, colourType, compression, filter, interlace] = data.subarray(8);
  const bad = (problem: string) => new DataError(file, `corrupt header (IHDR): ${problem}`);
  if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) throw bad(`${width}x${height} is not a PNG image size`);
  if (!(colourType in CHANNELS)) throw bad(`colour type ${colourType} does not exist`);
  if (!BIT_DEPTHS[colourType].includes(bitDepth)) throw bad(`bit depth ${bitDepth} is not allowed with colour type ${colourType}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw bad(`compression ${compression}, filter ${filter}, interlace ${interlace} (PNG defines 0, 0 and 0 or 1)`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DataError(file, `declares ${width}x${height} pixels, more than the ${MAX_IMAGE_PIXELS} (${Math.sqrt(MAX_IMAGE_PIXELS)}x${Math.sqrt(MAX_IMAGE_PIXELS)}) an image may have`);
  }
  return { width, height, bitsPerPixel: bitDepth * CHANNELS[colourType], interlaced: interlace === 1 };
}

/** The image data must be able to hold the declared size before it is decompressed, and must then hold exactly that. */
function checkImageData(file: string, header: Header, compressed: Buffer): void {
  const { width, height } = header;
  const needed = rawSize(header);
  const size = `${width}x${height}`;
  if (needed > DEFLATE_MAX_RATIO * compressed.length + 64) {
    throw new DataError(file, `declares ${size} pixels (${formatBytes(needed)} of image data), more than its ${compressed.length} bytes of compressed image data can hold`);
  }
  let raw: Buffer;
  try {
    raw = inflateSync(compressed, { maxOutputLength: needed });
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new DataError(file, `corrupt: its image data holds more than the ${needed} bytes a ${size} image needs`);
    if (code === 'Z_BUF_ERROR') throw new DataError(file, `truncated image data: the compressed stream ends early (${message})`);
    throw new DataError(file, `corrupt image data (${message})`);
  }
  if (raw.length < needed) {
    const rows = header.interlaced ? '' : ` (${Math.floor(raw.length / rowBytes(width, header.bitsPerPixel))} of ${height} rows)`;
    throw new DataError(file, `truncated image data: ${raw.length} of the ${needed} bytes a ${size} image needs${rows}`);
  }
}

/** Bytes of filtered image data a header declares: per row, a filter byte and the packed pixels; per Adam7 pass when interlaced. */
function rawSize({ width, height, bitsPerPixel, interlaced }: Header): number {
  if (!interlaced) return height * rowBytes(width, bitsPerPixel);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil(Math.max(0, width - x0) / dx), h = Math.ceil(Math.max(0, height - y0) / dy);
    if (w > 0 && h > 0) total += h * rowBytes(w, bitsPerPixel);
  }
  return total;
}

/** Critical chunks start with a capital letter; a decoder may skip only the others. */
function isCritical(type: string): boolean {
  return type[0] >= 'A' && type[0] <= 'Z';
}

function rowBytes(width: number, bitsPerPixel: number): number {
  return 1 + Math.ceil((width * bitsPerPixel) / 8);
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function hexBytes(b: Buffer): string {
  return [...b].map((v) => v.toString(16).padStart(2, '0')).join(' ');
}
