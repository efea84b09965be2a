// Number formatting shared by the header, tooltips and legends.
const subscripts = '₀₁₂₃₄₅₆₇₈₉';

/** L_5000 -> "L₅₀₀₀": bound names as the paper writes them. */
export function subscript(n: number | string): string {
  return String(n).replace(/\d/g, (d) => subscripts[Number(d)]);
}

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Enough digits to tell bounds apart (nats differ in the first decimals), fewer for big numbers. */
export function formatValue(n: number): string {
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return n.toExponential(2);
  return n.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 2 : 4 });
}

/** `digits` decimals, with a true minus sign: numbers in sentences. */
export const fixed = (n: number, digits: number): string => n.toFixed(digits).replace(/^-/, '−');

/** Epochs on the x axis are fractional; steps are whole. */
export const formatX = (x: number, axis: 'step' | 'epoch'): string =>
  axis === 'step' ? `step ${formatInt(x)}` : `epoch ${x.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
