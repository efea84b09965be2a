// Image grids as the dashboard and the inspector paint them: grey tiles as
// grey, colour tiles (channels last) in their own colours, tiles side by side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImageGrid } from '../../src/shared/events';
import { gridRgba, gridRow } from '../../src/webview/common/images';

test('grey tiles paint one value into red, green and blue', () => {
  const rgba = gridRgba({ rows: 1, cols: 2, height: 1, width: 2, pixels: [10, 20, 30, 40] });
  assert.deepEqual(Array.from(rgba), [10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255, 40, 40, 40, 255]);
});

test('colour tiles paint their channels, tile by tile, row by row', () => {
  // Two rows of one 1x2 tile: red then green; blue then white.
  const grid = { rows: 2, cols: 1, height: 1, width: 2, channels: 3 as const, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255] };
  assert.ok(ImageGrid.safeParse(grid).success);
  assert.deepEqual(Array.from(gridRgba(grid)), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
  assert.deepEqual(gridRow(grid, 1).pixels, [0, 0, 255, 255, 255, 255]);
  assert.ok(!ImageGrid.safeParse({ ...grid, pixels: grid.pixels.slice(3) }).success, 'a colour grid needs three values per pixel');
});
