// latent-lab: the engine from a terminal. `train`, `eval`, `inspect`, `analyze`, `study`, and
// `setup` / `doctor` for the native backend. The commands that load
// TensorFlow are imported only once that backend is found (or set up).
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_ENV } from '../native/target';
import { doctorCommand, ensureCliBackend, setupCommand } from './setup';
import { checkTrainOptions } from './trainOptions';
import { GradientEstimator, Likelihood, NetworkKind, ObjectiveKind, PosteriorFamily, PriorFamily } from '../../shared/runConfig';
import { StudyObjective } from '../../shared/study';
import { DEFAULT_GRADIENT_PLAN } from '../../shared/evaluationProtocol';
import { DEFAULT_JACKKNIFE_K } from '../../shared/diagnostics';
import { setThreads } from '../tfEnvironment';
import { DEFAULT_DEGREES_OF_FREEDOM, defaultConvNetwork, defaultFlow } from '../models/config';

const FLOW = defaultFlow();
const CONV = defaultConvNetwork();

const integer = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};
const unitInterval = (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
};
const sizes = (value: string): number[] => {
  const parts = value.split(',').map(Number);
  if (!parts.every((n) => Number.isInteger(n) && n > 0)) throw new InvalidArgumentError('expected comma-separated positive integers, e.g. 200,200');
  return parts;
};

const program = new Command('latent-lab')
  .description('Train and evaluate VAEs and Importance Weighted Autoencoders on tfjs-node.')
  .option('--verbose', 'print stack traces on errors')
  .option('--backend <dir>', `a folder holding an installed @tensorflow/tfjs-node to use (also ${BACKEND_ENV})`)
  .hook('preAction', (command) => {
    const dir = command.opts().backend as string | undefined;
    if (dir) process.env[BACKEND_ENV] = dir;
  })
  .showHelpAfterError();

program.command('train')
  .description('train a VAE / IWAE / MIWAE and write a run folder (run.json, checkpoint.safetensors, metrics.jsonl)')
  .option('--data <path>', 'dataset: IDX (optionally .gz), .npy, .csv, a folder of PNGs, or a folder with an MNIST-style train/t10k pair')
  .addOption(new Option('--objective <kind>', 'training objective').choices(ObjectiveKind.options).default('iwae'))
  .option('--k <K>', 'importance samples (default 5; 1 for vae)', integer(1))
  .option('--m <M>', 'independent groups of K (miwae; piwae: the inference network\'s MIWAE(M, K), the generative network\'s IWAE(M K))', integer(1), 1)
  .option('--beta <b>', 'ciwae: the weight of the ELBO in beta ELBO + (1 - beta) L_K, in [0, 1] (default 0.5)', unitInterval)
  .addOption(new Option('--estimator <name>', 'gradient estimator').choices(GradientEstimator.options).default('standard'))
  .option('--analytic-kl', 'VAE: closed-form KL term instead of Monte Carlo')
  .option('--epochs <N>', 'passes over the training set at a fixed learning rate', integer(1))
  .addOption(new Option('--schedule <name>', "learning-rate schedule; 'burda': 3^i passes at 1e-3*10^(-i/7), i=0..7").choices(['fixed', 'burda']))
  .option('--lr <rate>', 'learning rate of the fixed schedule', positive, 1e-3)
  .option('--batch-size <B>', 'examples per step', integer(1), 20)
  .addOption(new Option('--layers <n>', "Burda et al.'s architecture with 1 or 2 stochastic layers").choices(['1', '2']).default('1'))
  .option('--hidden <sizes>', 'hidden widths of a one-layer model instead, e.g. 200,200', sizes)
  .option('--latent <dim>', 'latent size of a one-layer model instead', integer(1))
  .addOption(new Option('--posterior <family>', "posterior family ('iaf': a diagonal Normal and an inverse autoregressive flow)").choices(PosteriorFamily.options).default('normal'))
  .option('--degrees-of-freedom <nu>', `student-t posterior: its fixed degrees of freedom (default ${DEFAULT_DEGREES_OF_FREEDOM})`, positive)
  .option('--flow-steps <T>', `iaf posterior: flow steps (default ${FLOW.steps})`, integer(1))
  .option('--flow-hidden <H>', `iaf posterior: hidden units of each step's MADE (default ${FLOW.hidden})`, integer(1))
  .option('--flow-context <C>', `iaf posterior: context values from the encoder to every step, 0 for none (default ${FLOW.context})`, integer(0))
  .addOption(new Option('--prior <family>', "prior family ('vamp': the VampPrior, q at learned pseudo-inputs)").choices(PriorFamily.options).default('normal'))
  .option('--components <C>', 'components of the mixture prior, or pseudo-inputs of the VampPrior', integer(1), 10)
  .addOption(new Option('--network <kind>', "networks next to the data ('conv': convolutions down, transposed convolutions up; images only)").choices(NetworkKind.options).default('mlp'))
  .option('--conv-channels <sizes>', `conv network: channels of each stride-2 convolution (default ${CONV.channels.join(',')})`, sizes)
  .option('--conv-kernel <k>', `conv network: kernel side (default ${CONV.kernel})`, integer(1))
  .option('--colour', 'a folder of colour PNGs: red, green and blue channels instead of luminance')
  .addOption(new Option('--likelihood <name>', 'p(x|z); default from the data: bernoulli for [0,1] values, gaussian-learned otherwise').choices(Likelihood.options))
  .option('--no-binarize', 'train on grey levels as given instead of dynamically binarizing them')
  .option('--eval-k <K>', 'K of the test NLL -L_K', integer(1), 5000)
  .option('--nll-every <epochs>', 'estimate the test NLL every N epochs (0: only at the end)', integer(0), 0)
  .option('--nll-examples <n>', 'held-out examples for the test NLL (0: all)', integer(0), 0)
  .option('--eval-examples <n>', 'held-out examples for the per-epoch bounds (0: all)', integer(0), 500)
  .option('--seed <S>', 'random seed', integer(0), 0)
  .option('--out <dir>', 'run folder (default runs/<objective>-k<K>-<time>)')
  .option('--resume <dir>', 'continue the run in this folder from its checkpoint; only --epochs, --eval-k, --nll-every and --nll-examples may change')
  .option('--max-steps <n>', 'stop after this many steps (the run can be resumed)', integer(1))
  .option('--json', 'print events as JSON lines instead of a progress bar')
  .action(async (opts, command: Command) => {
    // Which options were typed, not defaulted: a resume refuses those it cannot apply.
    const given = command.options
      .filter((option) => command.getOptionValueSource(option.attributeName()) === 'cli')
      .map((option) => ({ key: option.attributeName(), flag: option.long ?? option.flags }));
    const changes = checkTrainOptions(opts, given);
    await ensureCliBackend();
    await (await import('./train')).trainCommand(opts, changes);
  });

program.command('eval')
  .description("evaluate a checkpoint: test NLL (-L_N); from the same log weights L_K for a ladder of K, its 1/K fit and L_inf, JVI, ESS and Pareto k-hat; active units; by default with the run's own N and examples")
  .argument('<checkpoint>', 'a checkpoint.safetensors file or a run folder')
  .option('--k <N>', "N of the test NLL -L_N (default: the run's --eval-k, 5000 unless trained otherwise)", integer(1))
  .option('--data <path>', 'dataset (default: the one the run was trained on)')
  .option('--examples <n>', "the first n held-out examples (0: all; default: the run's --nll-examples)", integer(0))
  .option('--seed <S>', 'evaluation seed: binarization of the held-out grey levels and every draw (default 0, as the trainer and the extension use)', integer(0))
  .option('--json', 'print one JSON object')
  .option('--per-example', 'with --json: also L_N of every example (perExample), for paired comparisons of runs on the same data')
  .option('--bound-vs-k', 'print the L_K ladder with the delta-method bias, the 1/K fit and L_inf, JVI, ESS and Pareto k-hat (docs/diagnostics.md)')
  .option('--jackknife-k <K>', 'K of the jackknife (JVI) estimates, at most N; order 2 costs N K / 2 per example', integer(3), DEFAULT_JACKKNIFE_K)
  .option('--k-min <K>', 'smallest K the 1/K fit uses (default: the first K above Var(w)/E[w]^2)', integer(1))
  .option('--write-eval-data <file>', 'also write the held-out examples as evaluated (binarized) to an IDX file (float32, N x H x W, or N x H x W x C in colour)')
  .action(async (checkpoint, opts) => {
    await ensureCliBackend();
    setThreads('evaluation');
    await (await import('./eval')).evalCommand(checkpoint, opts);
  });

program.command('inspect')
  .description('print a checkpoint\'s model, training config, state and metrics history')
  .argument('<checkpoint>', 'a checkpoint.safetensors file or a run folder')
  .option('--json', 'print one JSON object')
  .action(async (checkpoint, opts) => {
    await ensureCliBackend();
    await (await import('./inspect')).inspectCommand(checkpoint, opts);
  });

/** A comma-separated list of some of `choices`. */
const choiceList = (what: string, choices: readonly string[]) => (value: string): string[] => {
  const parts = value.split(',').map((v) => v.trim());
  const bad = parts.find((p) => !choices.includes(p));
  if (bad !== undefined) throw new InvalidArgumentError(`unknown ${what} '${bad}' (${choices.join(', ')})`);
  return parts;
};
const estimators = choiceList('estimator', GradientEstimator.options);

const analyze = program.command('analyze').description('research diagnostics of a checkpoint: its log weights, its gradient estimators');

analyze.command('weights')
  .description('eval --bound-vs-k with 1000 examples by default: N log weights per held-out example, L_K for a ladder of K with its 1/K fit and L_inf, the delta-method bias, JVI, ESS and Pareto k-hat')
  .argument('<checkpoint>', 'a checkpoint.safetensors file or a run folder')
  .option('--n <N>', 'log weights per example', integer(3), 5000)
  .option('--examples <n>', 'held-out examples (0: all)', integer(0), 1000)
  .option('--jackknife-k <K>', 'K of the jackknife (JVI) estimates; order 2 costs N K / 2 per example', integer(3), DEFAULT_JACKKNIFE_K)
  .option('--k-min <K>', 'smallest K the 1/K fit uses (default: the first K above Var(w)/E[w]^2)', integer(1))
  .option('--data <path>', 'dataset (default: the one the run was trained on)')
  .option('--seed <S>', 'evaluation seed, as eval --seed', integer(0), 0)
  .option('--json', 'print one JSON object: the evaluation, as eval --json')
  .action(async (checkpoint, opts) => {
    await ensureCliBackend();
    setThreads('evaluation');
    await (await import('./analyze')).analyzeWeightsCommand(checkpoint, opts);
  });

analyze.command('gradients')
  .description('signal-to-noise ratio of the IWAE gradient per network against K and estimator, at the checkpoint\'s parameters (Rainforth et al. 2018)')
  .argument('<checkpoint>', 'a checkpoint.safetensors file or a run folder')
  .option('--k <list>', 'values of K', sizes, DEFAULT_GRADIENT_PLAN.ks)
  .option('--estimators <list>', 'gradient estimators', estimators, DEFAULT_GRADIENT_PLAN.estimators)
  .option('--draws <n>', 'independent gradient draws per (K, estimator)', integer(3), DEFAULT_GRADIENT_PLAN.draws)
  .option('--examples <n>', 'held-out examples in the batch the gradient is taken on', integer(1), DEFAULT_GRADIENT_PLAN.examples)
  .option('--replicates <n>', 'bootstrap resamples for the slopes\' standard errors', integer(2), DEFAULT_GRADIENT_PLAN.replicates)
  .option('--data <path>', 'dataset (default: the one the run was trained on)')
  .option('--seed <S>', 'random seed', integer(0), 0)
  .option('--json', 'print one JSON object')
  .action(async (checkpoint, opts) => {
    await ensureCliBackend();
    await (await import('./analyze')).analyzeGradientsCommand(checkpoint, opts);
  });

const seedList = (value: string): number[] => {
  const parts = value.split(',').map(Number);
  if (!parts.every((n) => Number.isInteger(n) && n >= 0)) throw new InvalidArgumentError('expected comma-separated integers >= 0, e.g. 1,2,3');
  return parts;
};
const studyObjectives = choiceList('study objective', StudyObjective.options);

program.command('study')
  .description('a K study: one ordinary run per (objective, K, seed) in the runs folder, each evaluated, and what they show; stoppable (Ctrl-C) and resumable (run it again)')
  .usage('--data PATH --objectives vae,iwae --k 1,5,50 (--epochs N | --schedule burda) [--seeds 1,2] [options] [-- train options]')
  .option('--data <path>', 'dataset, as for train')
  .option('--objectives <list>', 'objectives to compare; the first is the baseline', studyObjectives, ['vae', 'iwae'])
  .option('--k <list>', 'values of K', sizes, [1, 5, 50])
  .option('--epochs <N>', 'passes over the training set per run, at a fixed learning rate', integer(1))
  .addOption(new Option('--schedule <name>', "Burda et al.'s schedule instead of --epochs").choices(['burda']))
  .option('--seeds <list>', 'training seeds; with two or more, every finding must hold beyond the seed-to-seed spread', seedList, [1])
  .option('--parallel <n>', 'runs trained (and evaluated) at once', integer(1), 1)
  .option('--name <name>', 'the study\'s name: its runs are <name>-<objective>-k<K>-s<seed> (default study-<time>)')
  .option('--runs <dir>', 'the runs folder', 'runs')
  .option('--eval-k <K>', 'K of every run\'s test NLL -L_K', integer(1), 5000)
  .option('--eval-seed <S>', 'seed of every evaluation (one for all, so comparisons are paired)', integer(0), 0)
  .option('--resume <name>', 'continue the study of this name with its own plan')
  .option('--json', 'print the study manifest as one JSON object')
  .argument('[train options...]', 'after --: passed to every train, e.g. -- --hidden 100 --latent 20')
  .action(async (trainArgs, opts) => {
    await (await import('./study')).studyCommand(opts, trainArgs);
  });

const route = (value: string, previous: string[] = []): string[] => {
  if (value !== 'official' && value !== 'wheel') throw new InvalidArgumentError("expected 'official' or 'wheel'");
  return [...previous, value];
};

program.command('setup')
  .description('install the native TensorFlow backend (libtensorflow and the tfjs-node binding) into the store, or check it is there')
  .option('--store <dir>', 'where backends are kept (default: the user cache folder, or LATENT_LAB_HOME/native)')
  .option('--force', 'set it up again even when a complete one is installed (a repair)')
  .option('--route <name>', "only this route, in order ('official': Google's prebuilt binaries; 'wheel': the tensorflow-cpu wheel through pip, compiled here); repeatable", route)
  .option('--proxy <url>', 'proxy for downloads (default: HTTPS_PROXY)')
  .option('--no-strict-ssl', "accept a proxy's certificate that does not verify")
  .option('--wheel-cache <dir>', 'a folder that holds (and keeps) the tensorflow-cpu wheel')
  .option('--json', 'progress and outcome as JSON lines')
  .action((opts) => setupCommand(opts));

program.command('doctor')
  .description('which native backend train and eval would use, where it comes from, its tfjs-node and TensorFlow versions')
  .option('--json', 'print one JSON object')
  .action((opts) => doctorCommand(opts));

program.parseAsync(process.argv).catch((err: Error) => {
  if (program.opts().verbose) console.error(err.stack);
  else console.error(`latent-lab: ${err.message.split('\n')[0]}`);
  process.exit(1);
});
