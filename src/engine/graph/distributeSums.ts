// Kernel by kernel, every elementwise op is a pass over memory, and a
// reduction is a cheaper pass than a binary op. A sum of a sum or difference
// of equal-shaped terms, Sum(a - b), becomes Sum(a) - Sum(b): the binary op
// moves from the full tensors to their sums. In the log weights the Bernoulli
// likelihood sums x * l - (relu(l) - log(sigmoid(|l|))) over [K, D] logits;
// its three sums took 2-4% off -L_5000's CPU time (docs/benchmarks.md). Only
// the log weights are rewritten, which always run kernel by kernel: XLA fuses
// the additions into its one reduction and trained slower with three.
// The rewrite changes float rounding only, never the quantity.
import type { GraphBuilder } from './graphBuilder';
import type { NodeDef } from './protos';

const DISTRIBUTES = new Set(['Add', 'AddV2', 'Sub']);

/** Rewrites `graph`'s sums of sums and differences in place; `kept` are refs used outside the graph. */
export function distributeSums(graph: GraphBuilder, kept: string[]): void {
  while (distributeOne(graph, kept));
}

/** One Sum(a ± b) -> Sum(a) ± Sum(b), the Sum node keeping its name so its consumers still read it; false when none is left. */
function distributeOne(graph: GraphBuilder, kept: string[]): boolean {
  const nodes = graph.nodes;
  const uses = useCounts(nodes, kept);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (let i = 0; i < nodes.length; i++) {
    const sum = nodes[i];
    if (sum.op !== 'Sum') continue;
    const [input, axes, ...control] = sum.input;
    const term = byName.get(input);
    if (!term || !DISTRIBUTES.has(term.op) || uses.get(term.name) !== 1 || term.input.length !== 2) continue;
    const shape = graph.shapes.get(term.name);
    if (!shape || !term.input.every((operand) => sameShape(graph.shapes.get(operand), shape))) continue;
    const parts = term.input.map((operand) => {
      const name = graph.uniqueName(`${sum.name}/${term.op === 'Sub' && operand === term.input[1] ? 'subtrahend' : 'term'}`);
      return { name, op: 'Sum', input: [operand, axes], attr: sum.attr };
    });
    const reduced = graph.shapes.get(sum.name);
    if (reduced) for (const part of parts) graph.shapes.set(part.name, reduced);
    nodes.splice(i, 1, ...parts, { name: sum.name, op: term.op, input: [parts[0].name, parts[1].name, ...control], attr: { T: term.attr.T } });
    nodes.splice(nodes.indexOf(term), 1);
    return true;
  }
  return false;
}

/** How many inputs (data or control) and outside uses read each node. */
function useCounts(nodes: NodeDef[], kept: string[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const ref of [...nodes.flatMap((n) => n.input), ...kept]) {
    const name = ref.replace(/^\^/, '').split(':')[0];
    uses.set(name, (uses.get(name) ?? 0) + 1);
  }
  return uses;
}

function sameShape(a: number[] | undefined, b: number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
}
