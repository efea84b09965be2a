// What the inspector's page has been sent, one message per part of the page
// (the checkpoint's report, its figures, the evaluation, the gradient
// analysis): a page rebuilt when its editor comes back into view is sent them
// again, report first. Pure.
import type { InspectorToWebview } from '../../shared/inspectorProtocol';

export type Part = 'report' | 'figures' | 'evaluation' | 'gradients';

const PART_OF: Record<InspectorToWebview['type'], Part> = {
  summary: 'report', problem: 'report', figures: 'figures', figuresFailed: 'figures', evaluation: 'evaluation', gradients: 'gradients',
};
const ORDER: readonly Part[] = ['report', 'figures', 'evaluation', 'gradients'];

export class ShownParts {
  private readonly parts = new Map<Part, InspectorToWebview>();

  /** Remembers `message` in place of the last one of its part, and returns it for posting. */
  show<M extends InspectorToWebview>(message: M): M {
    this.parts.set(PART_OF[message.type], message);
    return message;
  }

  forget(part: Part): void {
    this.parts.delete(part);
  }

  all(): InspectorToWebview[] {
    return ORDER.flatMap((p) => this.parts.get(p) ?? []);
  }
}
