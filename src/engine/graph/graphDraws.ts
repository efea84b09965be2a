// Turns the sampler's draws, seen while a step is recorded, into TensorFlow's
// own counter-based random ops: draw i of a graph call is seeded with
// (seed input, i), so a call is reproducible from its seed and no random
// numbers are made in JavaScript. For tests the draws can instead become
// inputs, so that the graph can be fed exactly the noise an eager step drew.
//
// Two generators, one per way the graph runs. Kernel by kernel, the V1
// stateless ops (Philox in TensorFlow's CPU kernels). Compiled by XLA, the V2
// ops with ThreeFry: XLA:CPU turns Philox's 32x32->64-bit products into slow
// scalar code, and at 100x50 the 250,000 normals of a step cost about a third
// of the whole compiled step (docs/benchmarks.md); ThreeFry (adds, rotations,
// xors) vectorizes. TensorFlow's CPU kernels do not implement ThreeFry, so the
// kernel-by-kernel graph keeps Philox. The two draw different numbers from one
// seed; each is reproducible from it.
//
// Kernel by kernel, normals are made from Philox uniforms by the Box-Muller
// transform in tensor ops (boxMuller) rather than by StatelessRandomNormal,
// whose kernel runs the transform element by element in scalar code: at
// K = 5000 the 250,000 normals of one image cost about an eighth of -L_5000's
// kernel time, and the transform on whole tensors takes two thirds as long
// (docs/benchmarks.md). The numbers follow TensorFlow's own transform, its
// floor of 1e-7 on the radius' uniform included, so the distribution is the
// same; the pairing differs (the first half of the uniforms with the second),
// hence the draws.
import type { Draw, DrawObserver } from '../random/sampler';
import type { GraphBuilder, GraphTensor } from './graphBuilder';
import { GraphUnsupported, type OpRecorder } from './opRecorder';
import { DataType } from './protos';

export type Generator = 'philox' | 'threefry';

export type NoiseSource = { kind: 'random'; seed: GraphTensor; generator: Generator } | { kind: 'inputs' };

/** The attributes of the stateless ops seeded by an int32 pair: float32 values, an int32 shape and seed. */
const SEEDED_BY_PAIR = { dtype: { type: DataType.FLOAT }, T: { type: DataType.INT32 }, Tseed: { type: DataType.INT32 } };

/** tensorflow/core/framework/rng_alg.h: the algorithm ids of the V2 stateless ops. */
const RNG_ALG_THREEFRY = 2;

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
    let value = draw.kind === 'gamma' ? this.gamma(shape, seed, draw.alpha, stem)
      : this.source.generator === 'threefry' ? this.threefry(draw.kind, shape, seed, stem)
      : draw.kind === 'normal' ? this.boxMuller(draw.shape, seed, stem) : this.philoxUniform(shape, seed, stem);
    if (draw.kind === 'uniform') value = this.affine(value, draw.low, draw.high - draw.low, stem);
    this.recorder.bind(draw.tensor, { ref: value, dtype: DataType.FLOAT, shape: draw.shape });
  }

  private philoxUniform(shape: string, seed: string, stem: string): string {
    return this.graph.add('StatelessRandomUniform', stem, [shape, seed], SEEDED_BY_PAIR);
  }

  /**
   * Standard normals of `dims` from 2m Philox uniforms u, m = ceil(n / 2):
   * sqrt(-2 log max(u_i, 1e-7)) times sin and cos of 2 pi u_(m+i), as
   * TensorFlow's BoxMullerFloat computes them.
   */
  private boxMuller(dims: number[], seed: string, stem: string): string {
    const g = this.graph;
    const n = dims.reduce((p, q) => p * q, 1);
    const m = Math.ceil(n / 2);
    const float = { T: { type: DataType.FLOAT } };
    const op = (name: string, inputs: string[]) => g.add(name, `${stem}/${name.toLowerCase()}`, inputs, float);
    const scalar = (name: string, value: number) => g.floatScalar(`${stem}/${name}`, value).ref;
    const u = this.philoxUniform(g.int32Vector(`${stem}/uniform_shape`, [2, m]).ref, seed, `${stem}/uniform`);
    const halves = g.add('Unpack', `${stem}/halves`, [u], { T: float.T, num: { i: 2 }, axis: { i: 0 } });
    const radius = op('Sqrt', [op('Mul', [op('Log', [op('Maximum', [halves, scalar('floor', 1e-7)])]), scalar('minus_two', -2)])]);
    const angle = op('Mul', [`${halves}:1`, scalar('two_pi', 2 * Math.PI)]);
    const axis = g.constant(`${stem}/axis`, DataType.INT32, [], new Uint8Array(Int32Array.of(0).buffer)).ref;
    let z = g.add('ConcatV2', `${stem}/pairs`, [op('Mul', [radius, op('Sin', [angle])]), op('Mul', [radius, op('Cos', [angle])]), axis],
      { N: { i: 2 }, T: float.T, Tidx: { type: DataType.INT32 } });
    if (2 * m > n) {
      z = g.add('Slice', `${stem}/first_n`, [z, g.int32Vector(`${stem}/begin`, [0]).ref, g.int32Vector(`${stem}/size`, [n]).ref],
        { T: float.T, Index: { type: DataType.INT32 } });
    }
    return g.add('Reshape', `${stem}/normal`, [z, g.int32Vector(`${stem}/normal_shape`, dims).ref], { T: float.T, Tshape: { type: DataType.INT32 } });
  }

  /**
   * Gamma variates have one stateless op, seeded by the pair, under both generators: the Student-t
   * posterior's step is compiled by XLA where TensorFlow's XLA can lower it, else it runs kernel by kernel.
   */
  private gamma(shape: string, seed: string, alpha: number, stem: string): string {
    return this.graph.add('StatelessRandomGammaV2', stem, [shape, seed, this.graph.floatScalar(`${stem}/alpha`, alpha).ref], SEEDED_BY_PAIR);
  }

  /** The seed pair's 64 bits are the key, the counter starts at zero. */
  private threefry(kind: 'normal' | 'uniform', shape: string, seed: string, stem: string): string {
    const bits = this.graph.add('Bitcast', `${stem}/key_bits`, [seed], { T: { type: DataType.INT32 }, type: { type: DataType.UINT64 } });
    const key = this.graph.add('Reshape', `${stem}/key`, [bits, this.graph.int32Vector(`${stem}/key_shape`, [1]).ref],
      { T: { type: DataType.UINT64 }, Tshape: { type: DataType.INT32 } });
    const counter = this.graph.constant(`${stem}/counter`, DataType.UINT64, [2], new Uint8Array(16)).ref;
    const alg = this.graph.constant(`${stem}/alg`, DataType.INT32, [], new Uint8Array(Int32Array.of(RNG_ALG_THREEFRY).buffer)).ref;
    return this.graph.add(kind === 'normal' ? 'StatelessRandomNormalV2' : 'StatelessRandomUniformV2', stem, [shape, key, counter, alg],
      { dtype: { type: DataType.FLOAT }, Tshape: { type: DataType.INT32 } });
  }

  /** low + width * u */
  private affine(u: string, low: number, width: number, stem: string): string {
    const float = { T: { type: DataType.FLOAT } };
    const scaled = this.graph.add('Mul', `${stem}/scale`, [u, this.graph.floatScalar(`${stem}/width`, width).ref], float);
    return this.graph.add('AddV2', `${stem}/shift`, [scaled, this.graph.floatScalar(`${stem}/low`, low).ref], float);
  }
}
