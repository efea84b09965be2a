// A titled panel section: title and subtitle on the left, actions on the
// right, a body, a one-line note, and a placeholder shown instead of the body
// while there is nothing to draw.
import { h } from './dom';

export interface Card {
  element: HTMLElement;
  body: HTMLElement;
  setSubtitle(text: string): void;
  setNote(text: string): void;
  /** Text instead of the body; null shows the body. */
  setPlaceholder(text: string | null): void;
}

export function card(title: string, actions: readonly HTMLElement[] = [], className = ''): Card {
  const subtitle = h('span', { class: 'card-subtitle' });
  const note = h('p', { class: 'card-note', hidden: true });
  const placeholder = h('p', { class: 'card-placeholder', hidden: true });
  const body = h('div', { class: 'card-body' });
  const element = h('section', { class: `card ${className}`.trim(), 'aria-label': title },
    h('header', { class: 'card-header' },
      h('div', { class: 'card-titles' }, h('h2', { class: 'card-title' }, title), subtitle),
      h('div', { class: 'card-actions' }, ...actions)),
    body, placeholder, note);
  return {
    element,
    body,
    setSubtitle: (text) => void (subtitle.textContent = text),
    setNote(text) {
      note.textContent = text;
      note.hidden = text === '';
    },
    setPlaceholder(text) {
      placeholder.textContent = text ?? '';
      placeholder.hidden = text === null;
      body.hidden = text !== null;
    },
  };
}
