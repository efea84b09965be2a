// Ticks for log axes. Chart.js puts one at every integer mantissa and then
// skips some, which over a narrow range (NLL late in training: 85..100) leaves
// a single label. These pick a handful of round values for any range.

/** 1, 2, 5, 10, 20, ... : the round step nearest above `raw`. */
function niceStep(raw: number): number {
  const e = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * e).find((s) => s >= raw) ?? 10 * e;
}

export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return min > 0 ? [min] : [];
  const decades = Math.log10(max / min);
  const out: number[] = [];
  const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  if (decades > 0.8) {
    // Decades alone when there are many of them, else 1-2-5 steps too.
    const mantissas = decades > 2.5 ? [1] : [1, 2, 5];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (inRange(v)) out.push(v);
      }
    }
    return out;
  }
  const step = niceStep((max - min) / 5);
  for (let v = Math.ceil(min / step) * step; inRange(v); v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Short labels for log-axis values: 0.01, 250, 1e-4. */
export function logTickLabel(value: number): string {
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  if (exponent >= -3 && exponent < 6) return value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  const mantissa = Number((value / 10 ** exponent).toPrecision(4));
  return mantissa === 1 ? `1e${exponent}` : `${mantissa}e${exponent}`;
}
