// Our only contact with @vscode/webview-ui-toolkit (deprecated; its likely
// successor is @vscode-elements/elements). Views build controls through these
// functions and never name a toolkit tag or property, so a switch touches this
// file alone.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption,
  vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { h, setAttrs } from './dom';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(),
    vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeTextField(),
  );
}

type Valued = HTMLElement & { value: string };
type Checkable = HTMLElement & { checked: boolean };

function element(tag: string, attrs: Record<string, string | number | boolean | undefined>, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  el.append(...children);
  return el;
}

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** Tooltip, and the accessible name of icon buttons. */
  title?: string;
  icon?: SVGElement;
  className?: string;
  onClick: () => void;
}

export function button(label: string, { appearance = 'secondary', title, icon, className, onClick }: ButtonOptions): HTMLElement {
  const content: (Node | string)[] = [];
  if (icon) content.push(appearance === 'icon' ? icon : withSlot(icon, 'start'));
  if (appearance !== 'icon') content.push(label);
  const el = element('vscode-button', { appearance, title: title ?? (appearance === 'icon' ? label : undefined), 'aria-label': label, class: className }, ...content);
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return el;
}

function withSlot<T extends Element>(el: T, slot: string): T {
  el.setAttribute('slot', slot);
  return el;
}

/** Changes the text of a button made by `button`, keeping its icon. */
export function setButtonLabel(control: HTMLElement, label: string): void {
  const text = [...control.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
  if (text) text.textContent = label;
  control.setAttribute('aria-label', label);
}

export function setDisabled(control: HTMLElement, disabled: boolean): void {
  setAttrs(control, { disabled });
}

export interface Choice<T extends string> { value: T; label: string }

export interface Dropdown<T extends string> {
  element: HTMLElement;
  set(value: T): void;
}

export function dropdown<T extends string>(label: string, choices: readonly Choice<T>[], value: T, onChange: (value: T) => void): Dropdown<T> {
  const options = choices.map((c) => element('vscode-option', { value: c.value, selected: c.value === value }, c.label));
  const el = element('vscode-dropdown', { 'aria-label': label, title: label }, ...options) as Valued;
  el.addEventListener('change', (event) => {
    const chosen = choices.find((c) => c.value === el.value);
    if (event.target === el && chosen) onChange(chosen.value);
  });
  return { element: el, set: (v) => void (el.value = v) };
}

export interface Checkbox {
  element: HTMLElement;
  readonly checked: boolean;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): Checkbox {
  const el = element('vscode-checkbox', { checked }, label) as Checkable;
  el.addEventListener('change', (event) => {
    if (event.target === el) onChange(el.checked);
  });
  return { element: el, get checked() { return el.checked; } };
}

export interface TextField {
  element: HTMLElement;
  value: string;
  setDisabled(disabled: boolean): void;
}

export function textField(label: string, value: string, placeholder: string, onInput: (value: string) => void): TextField {
  const el = element('vscode-text-field', { value, placeholder, 'aria-label': label, size: 14 }) as Valued;
  el.addEventListener('input', () => onInput(el.value));
  return {
    element: el,
    get value() { return el.value; },
    set value(v: string) { el.value = v; },
    setDisabled: (disabled) => setAttrs(el, { disabled }),
  };
}

/** A range input styled like the toolkit's controls (the toolkit has no slider). */
export function slider(label: string, { min, max, step, value }: { min: number; max: number; step: number; value: number }, onInput: (value: number) => void): HTMLInputElement {
  const el = h('input', { type: 'range', min, max, step, value, 'aria-label': label, title: label, class: 'slider' });
  el.addEventListener('input', () => onInput(Number(el.value)));
  return el;
}

export interface Tab<T extends string> { id: T; label: string; content: HTMLElement }

/** Tabs in the style of VS Code's panel; `onChange` gets the id of the tab shown. */
export function tabs<T extends string>(items: readonly Tab<T>[], active: T, onChange: (id: T) => void): HTMLElement {
  const el = element('vscode-panels', { activeid: `tab-${active}`, class: 'tabs' },
    ...items.map((t) => element('vscode-panel-tab', { id: `tab-${t.id}` }, t.label)),
    ...items.map((t) => element('vscode-panel-view', { id: `view-${t.id}` }, t.content)));
  el.addEventListener('change', (event) => {
    // Changes of the controls inside bubble up here too.
    if (event.target !== el) return;
    const id = (el as HTMLElement & { activeid: string }).activeid.replace(/^tab-/, '');
    const tab = items.find((t) => t.id === id);
    if (tab) onChange(tab.id);
  });
  return el;
}

/** Shows tab `id` of panels made by `tabs`, as a click on it would (its `onChange` included). */
export function showTab(panels: HTMLElement, id: string): void {
  (panels as HTMLElement & { activeid: string }).activeid = `tab-${id}`;
}
