// A small element builder. Attributes only, never a `style` attribute: the CSP
// forbids inline styles, and the stylesheet styles everything by class.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined>;

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) el.removeAttribute(name);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  el.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 16px monochrome icon drawn in the current text colour. */
export function icon(pathData: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  setAttrs(svg, { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', class: 'icon' });
  const path = document.createElementNS(SVG, 'path');
  setAttrs(path, { d: pathData, fill: 'currentColor' });
  svg.append(path);
  return svg;
}

/** Codicon-like outlines, drawn here because the page loads no icon font. */
export const icons = {
  download: 'M8 1.5a.5.5 0 0 1 .5.5v8.3l2.65-2.65a.5.5 0 0 1 .7.7l-3.5 3.5a.5.5 0 0 1-.7 0l-3.5-3.5a.5.5 0 1 1 .7-.7L7.5 10.3V2a.5.5 0 0 1 .5-.5ZM2.5 13a.5.5 0 0 0 0 1h11a.5.5 0 0 0 0-1h-11Z',
  zoomReset: 'M6.5 2a4.5 4.5 0 0 1 3.56 7.26l3.6 3.6a.5.5 0 0 1-.71.7l-3.6-3.6A4.5 4.5 0 1 1 6.5 2Zm0 1a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7ZM4.5 6h4a.5.5 0 0 1 0 1h-4a.5.5 0 0 1 0-1Z',
  stop: 'M4 4h8v8H4z',
} as const;
