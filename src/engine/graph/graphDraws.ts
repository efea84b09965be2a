// Turns the sampler's draws, seen while a step is recorded, into TensorFlow's
// own counter-based random ops: draw i of a graph call is seeded with
// (seed input, i), so a call is reproducible from its seed and no random
// numbers are made in JavaScript. For tests the draws can instead become
// inputs, so that the graph can be fed exactly the noise an eager step drew.
import type { Draw, DrawObserver } from '../random/sampler';
import type { GraphBuilder, GraphTensor } from './graphBuilder';
import { GraphUnsupported, type OpRecorder } from './opRecorder';
import { DataType } from './protos';

export type NoiseSource = { kind: 'random'; seed: GraphTensor } | { kind: 'inputs' };

export class GraphDraws implements DrawObserver {
  /** With inputs as the noise source: one placeholder per draw, in drawing order. */
  readonly noiseInputs: GraphTensor[] = [];
  private count = 0;

  constructor(private readonly graph: GraphBuilder, private readonly recorder: OpRecorder,
    private readonly source: NoiseSource, private readonly scope: string) {}

  drawn(draw: Draw): void {
    if (draw.kind === 'categorical') throw new GraphUnsupported('categorical draws have no in-graph equivalent here');
    const index = this.count++;
    const stem = `${this.scope}/draw_${index}`;
    if (this.source.kind === 'inputs') {
      const input = this.graph.placeholder(`${this.scope}/noise_${index}`, DataType.FLOAT, draw.shape);
      this.noiseInputs.push(input);
      this.recorder.bind(draw.tensor, input);
      return;
    }
    const index32 = this.graph.constant(`${stem}/index`, DataType.INT32, [], new Uint8Array(Int32Array.of(index).buffer));
    const seed = this.graph.add('Pack', `${stem}/seed`, [this.source.seed.ref, index32.ref],
      { N: { i: 2 }, T: { type: DataType.INT32 }, axis: { i: 0 } });
    const shape = this.graph.int32Vector(`${stem}/shape`, draw.shape).ref;
    const attr = { dtype: { type: DataType.FLOAT }, T: { type: DataType.INT32 }, Tseed: { type: DataType.INT32 } };
    let value = draw.kind === 'gamma'
      ? this.graph.add('StatelessRandomGammaV2', stem, [shape, seed, this.graph.floatScalar(`${stem}/alpha`, draw.alpha).ref], attr)
      : this.graph.add(draw.kind === 'normal' ? 'StatelessRandomNormal' : 'StatelessRandomUniform', stem, [shape, seed], attr);
    if (draw.kind === 'uniform') value = this.affine(value, draw.low, draw.high - draw.low, stem);
    this.recorder.bind(draw.tensor, { ref: value, dtype: DataType.FLOAT, shape: draw.shape });
  }

  /** low + width * u */
  private affine(u: string, low: number, width: number, stem: string): string {
    const float = { T: { type: DataType.FLOAT } };
    const scaled = this.graph.add('Mul', `${stem}/scale`, [u, this.graph.floatScalar(`${stem}/width`, width).ref], float);
    return this.graph.add('AddV2', `${stem}/shift`, [scaled, this.graph.floatScalar(`${stem}/low`, low).ref], float);
  }
}
