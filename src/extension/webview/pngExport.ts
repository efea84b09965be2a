// A chart or figure exported from a page arrives as a PNG data URL; these check
// that it really is a PNG and turn the chart's name into a safe file name.

const PNG_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Far above any chart Chart.js draws; a bound so a bad message cannot fill the disk. */
const MAX_PNG_BYTES = 32 * 1024 * 1024;

export function pngFromDataUrl(dataUrl: string): Uint8Array {
  if (!dataUrl.startsWith(PNG_PREFIX)) throw new Error('not a PNG data URL');
  const base64 = dataUrl.slice(PNG_PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('the PNG data URL is not valid base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_PNG_BYTES) throw new Error(`the image is larger than ${MAX_PNG_BYTES / 1024 / 1024} MB`);
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('the data is not a PNG image');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** "Held-out bound / epoch" -> "held-out-bound-epoch.png". */
export function pngFileName(name: string): string {
  const stem = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return `${stem || 'chart'}.png`;
}
