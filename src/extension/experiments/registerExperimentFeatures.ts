// Everything of the runs view (runs and K studies), the experiment dashboard
// and the checkpoint inspector, registered by one call from activate().
import * as vscode from 'vscode';
import { manifestPath } from '../../engine/study/studyRun';
import type { RunEvent } from '../../shared/events';
import { MAX_COMPARED } from '../../shared/experimentsProtocol';
import { registerCommand } from '../commands/guard';
import { registerCheckpointEditor } from '../inspector/checkpointEditor';
import { RunActions } from '../runs/runActions';
import type { RunEntry } from '../runs/runEntry';
import { RunsTree } from '../runs/runsTree';
import type { StudyEntry } from '../runs/studyEntry';
import { resumeStudy } from '../commands/studyCommand';
import type { RunsWorkspace } from '../runs/runsWorkspace';
import type { Services } from '../services';
import { CHECKPOINT_EDITOR_VIEW_TYPE, EXPERIMENT_COMMANDS as C, RUNS_VIEW_ID } from './experimentIds';
import { experimentsSlot } from './experimentsPanel';

/** Events the trainer writes run.json before: the run appears, or its step and best bound move with a checkpoint. */
const RUN_RECORD_EVENTS = new Set<RunEvent['type']>(['start', 'checkpoint']);

export function registerExperimentFeatures(context: vscode.ExtensionContext, services: Services): void {
  const { log, runs } = services;
  const actions = new RunActions(services, runs);
  const tree = new RunsTree(runs);
  /** A study of the runs view, or its id or name from a command. */
  const studyOf = (target: unknown): StudyEntry | undefined => {
    const model = runs.model;
    if (typeof target === 'string') return model?.study(target) ?? model?.studies.find((s) => s.name === target);
    return model?.study((target as StudyEntry | undefined)?.id ?? '');
  };
  const studyAction = async (action: 'stop' | 'resume', id: string): Promise<void> => {
    const study = studyOf(id);
    if (!study) {
      void vscode.window.showWarningMessage(`Latent Lab: the K study ${id} is no longer in the runs folder.`);
      return;
    }
    if (action === 'resume') await resumeStudy(services, study);
    else if (services.studies.progress?.name === study.name) await services.studies.stop();
  };
  const experiments = experimentsSlot(services, runs, actions, studyAction);
  const openExperiments = (select?: string[]): void => {
    const panel = experiments.show();
    if (select) panel.select(select);
  };
  /** Tree items pass the run; commands from elsewhere pass a run id. */
  const idOf = (target: unknown): string | undefined =>
    typeof target === 'string' ? target : (target as RunEntry | undefined)?.id;
  const onRun = (action: Parameters<RunActions['run']>[0]) => async (target: unknown): Promise<void> => {
    const id = idOf(target) ?? await pickRun(runs, action);
    if (id) await actions.run(action, id);
  };

  context.subscriptions.push(
    tree,
    // Runs trained from this window are followed from the training service too:
    // code-server's file watcher misses files created inside a new run folder.
    // Only the events after which the trainer rewrites run.json, not every step.
    services.training.onDidPostEvents(({ events }) => {
      const runDir = services.training.progress?.runDir;
      if (runDir && events.some((e) => RUN_RECORD_EVENTS.has(e.type))) runs.model?.notice(runDir);
    }),
    services.training.onDidEnd((ended) => runs.model?.notice(ended.runDir)),
    vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false }),
    experiments.registerSerializer(),
    registerCheckpointEditor(services, {
      compare: async (runDir) => {
        const own = runs.runs.find((r) => r.dir === runDir)?.id;
        const others = runs.runs.filter((r) => r.id !== own && r.epochs);
        const picked = await vscode.window.showQuickPick(
          others.map((r) => ({ label: r.name, description: `${r.objective?.kind ?? ''} K=${r.objective?.k ?? '?'} · ${r.status}`, id: r.id })),
          { title: 'Compare With…', canPickMany: true, placeHolder: 'Runs to overlay on this one' });
        if (!picked) return;
        openExperiments([...(own ? [own] : []), ...picked.map((p) => p.id)].slice(0, MAX_COMPARED));
      },
    }),
    registerCommand(C.openExperiments, log, () => openExperiments()),
    registerCommand(C.refreshRuns, log, () => runs.model?.refresh()),
    registerCommand(C.inspectCheckpoint, log, async (target) => {
      const uri = target instanceof vscode.Uri ? target : (await vscode.window.showOpenDialog({
        title: 'Inspect Checkpoint', canSelectMany: false, filters: { 'Latent Lab checkpoint': ['safetensors'] }, openLabel: 'Inspect',
      }))?.[0];
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, CHECKPOINT_EDITOR_VIEW_TYPE);
    }),
    registerCommand(C.openRunInspector, log, onRun('openInspector')),
    registerCommand(C.openRunDashboard, log, onRun('openDashboard')),
    registerCommand(C.renameRun, log, onRun('rename')),
    registerCommand(C.tagRun, log, onRun('tag')),
    registerCommand(C.deleteRun, log, onRun('delete')),
    registerCommand(C.revealRun, log, onRun('reveal')),
    registerCommand(C.showStudy, log, (target) => {
      const study = studyOf(target);
      const panel = experiments.show();
      panel.selectStudy(study?.id ?? String(target));
    }),
    registerCommand(C.resumeStudy, log, async (target) => {
      const study = studyOf(target);
      if (study) await studyAction('resume', study.id);
    }),
    // The study writes its manifest when it starts and when it ends: follow both from here too (code-server's watcher misses some).
    services.studies.onDidChangeProgress((p) => p && runs.model?.notice(manifestPath(p.runsFolder, p.name))),
    services.studies.onDidEnd((ended) => runs.model?.notice(manifestPath(ended.runsFolder, ended.name))),
  );
}

async function pickRun(runs: RunsWorkspace, action: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(runs.runs.map((r) => ({ label: r.name, description: r.status, id: r.id })), { title: `Run to ${action}` });
  return picked?.id;
}
