// Chart.js draws on canvas and needs concrete colours, not CSS variables: read
// VS Code's theme variables through a probe element (which also resolves any
// colour syntax to rgb/rgba) and read them again whenever the theme changes.

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  axis: string;
  blue: string;
  orange: string;
  green: string;
  red: string;
  purple: string;
  yellow: string;
  tooltipBackground: string;
  tooltipForeground: string;
  tooltipBorder: string;
  focus: string;
  fontFamily: string;
  fontSize: number;
  /** High-contrast themes get thicker lines and full-strength grid lines. */
  highContrast: boolean;
}

let probe: HTMLElement | undefined;

/** The colour a `var(--vscode-...)` chain resolves to, as rgb()/rgba(). */
function color(expression: string): string {
  if (!probe) {
    probe = document.createElement('span');
    probe.className = 'color-probe';
    probe.setAttribute('aria-hidden', 'true');
    document.body.append(probe);
  }
  probe.style.color = expression;
  return getComputedStyle(probe).color;
}

const v = (name: string, fallback: string): string => `var(--vscode-${name}, ${fallback})`;

/** `rgb(…)`/`rgba(…)` with its alpha multiplied by `alpha`. */
export function withAlpha(rgb: string, alpha: number): string {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(rgb);
  if (!m) return rgb;
  const a = (m[4] === undefined ? 1 : Number(m[4])) * alpha;
  return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${Number(a.toFixed(3))})`;
}

function isHighContrast(): boolean {
  const kind = document.body.dataset.vscodeThemeKind ?? '';
  return kind.startsWith('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast');
}

export function readPalette(): Palette {
  const highContrast = isHighContrast();
  const foreground = color(v('foreground', v('editor-foreground', '#cccccc')));
  const styles = getComputedStyle(document.documentElement);
  const fontSize = Number.parseFloat(styles.getPropertyValue('--vscode-font-size')) || 13;
  const contrastBorder = color(v('contrastBorder', 'transparent'));
  return {
    foreground,
    muted: color(v('descriptionForeground', foreground)),
    background: color(v('editor-background', '#1e1e1e')),
    grid: highContrast ? withAlpha(contrastBorder, 0.6) : withAlpha(color(v('charts-lines', foreground)), 0.3),
    axis: highContrast ? contrastBorder : withAlpha(color(v('charts-lines', foreground)), 0.6),
    blue: color(v('charts-blue', '#3794ff')),
    orange: color(v('charts-orange', '#d18616')),
    green: color(v('charts-green', '#89d185')),
    red: color(v('charts-red', '#f14c4c')),
    purple: color(v('charts-purple', '#b180d7')),
    yellow: color(v('charts-yellow', '#cca700')),
    tooltipBackground: color(v('editorHoverWidget-background', v('editorWidget-background', '#252526'))),
    tooltipForeground: color(v('editorHoverWidget-foreground', foreground)),
    tooltipBorder: color(v('editorHoverWidget-border', v('widget-border', v('contrastBorder', '#454545')))),
    focus: color(v('focusBorder', '#007fd4')),
    fontFamily: styles.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif',
    fontSize,
    highContrast,
  };
}

/**
 * Calls `onChange` after VS Code switches theme: it sets the body's class and
 * data attributes, and rewrites the variables in the root element's style.
 */
export function watchTheme(onChange: () => void): void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
