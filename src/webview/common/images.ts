// Draws ImageGrids (8-bit grey or colour tiles) on canvases, scaled up by whole numbers
// with nearest-neighbour sampling so pixels stay crisp, tiles apart by a gap.
import type { ImageGrid } from '../../shared/events';

/** Tiles are drawn about this many CSS pixels tall. */
const TARGET_TILE = 56;
/** Transparent space between tiles, in canvas pixels. */
export const TILE_GAP = 2;

export function tileScale(grid: Pick<ImageGrid, 'height' | 'width'>): number {
  return Math.max(1, Math.round(TARGET_TILE / Math.max(grid.height, grid.width, 1)));
}

export function gridCanvasSize(grid: Pick<ImageGrid, 'rows' | 'cols' | 'height' | 'width'>): { width: number; height: number } {
  const s = tileScale(grid);
  const span = (n: number, size: number): number => Math.max(0, n * size * s + (n - 1) * TILE_GAP);
  return { width: span(grid.cols, grid.width), height: span(grid.rows, grid.height) };
}

/** Row `r` of a grid as a grid of its own. */
export function gridRow(grid: ImageGrid, r: number): ImageGrid {
  const n = grid.cols * grid.height * grid.width * (grid.channels ?? 1);
  return { ...grid, rows: 1, pixels: grid.pixels.slice(r * n, (r + 1) * n) };
}

export function drawImageGrid(canvas: HTMLCanvasElement, grid: ImageGrid): void {
  const { rows, cols, height: th, width: tw } = grid;
  const size = gridCanvasSize(grid);
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx || size.width === 0 || size.height === 0) return;
  // All tiles side by side at their own resolution, then each scaled into place.
  const source = document.createElement('canvas');
  source.width = cols * tw;
  source.height = rows * th;
  const sctx = source.getContext('2d');
  if (!sctx) return;
  const image = sctx.createImageData(source.width, source.height);
  image.data.set(gridRgba(grid));
  sctx.putImageData(image, 0, 0);
  const s = tileScale(grid);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.imageSmoothingEnabled = false;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ctx.drawImage(source, c * tw, r * th, tw, th, c * (tw * s + TILE_GAP), r * (th * s + TILE_GAP), tw * s, th * s);
    }
  }
}

/** The tiles side by side at their own resolution, as RGBA bytes, rows of `cols * width` pixels.
 * Grey tiles repeat their one value in red, green and blue; colour tiles hold all three, channels last. */
export function gridRgba(grid: ImageGrid): Uint8ClampedArray {
  const { rows, cols, height: th, width: tw } = grid;
  const channels = grid.channels ?? 1;
  const tile = th * tw * channels;
  const rowWidth = cols * tw;
  const out = new Uint8ClampedArray(rows * th * rowWidth * 4);
  for (let t = 0; t < rows * cols; t++) {
    const x0 = (t % cols) * tw;
    const y0 = Math.floor(t / cols) * th;
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const p = t * tile + (y * tw + x) * channels;
        const o = ((y0 + y) * rowWidth + x0 + x) * 4;
        for (let c = 0; c < 3; c++) out[o + c] = grid.pixels[p + (channels === 3 ? c : 0)];
        out[o + 3] = 255;
      }
    }
  }
  return out;
}
