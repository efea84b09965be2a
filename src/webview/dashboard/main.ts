// The dashboard webview: says `ready`, then draws whatever snapshot and events
// the host sends. The host link checks every message against the shared
// contract first and drops anything else, so a bad message can change nothing.
import '../common/zodJitless';
import { DashboardProtocol } from '../../shared/protocol';
import { applyChartDefaults } from '../common/charts';
import { h } from '../common/dom';
import { connectHost } from '../common/hostLink';
import { frameScheduler } from '../common/scheduler';
import { readPalette, watchTheme } from '../common/theme';
import { registerToolkit, tabs } from '../common/toolkit';
import { ActiveUnitsView } from './activeUnits';
import { BoundVsKView } from './boundVsK';
import { CurvesView } from './curves';
import { RunHeader } from './header';
import { ImagesView } from './imagesView';
import { parseSettings, type ViewSettings } from './settings';
import { applyEvents, emptyState, fromSnapshot, type DashboardState } from './state';

registerToolkit();
const host = connectHost(DashboardProtocol);
let settings = parseSettings(host.state());
let state: DashboardState = emptyState;
let palette = readPalette();
applyChartDefaults(palette);

const exportPicture = host.exportPicture(() => state.run?.runId ?? 'latent-lab');
const change = (patch: Partial<ViewSettings>): void => {
  settings = { ...settings, ...patch };
  host.saveState(settings);
  schedule();
};

const header = new RunHeader(host.post);
const curves = new CurvesView(settings, palette, change, exportPicture);
const images = new ImagesView(settings, change, host.post, exportPicture);
const activeUnits = new ActiveUnitsView(palette, exportPicture);
const boundVsK = new BoundVsKView(palette, exportPicture);
const empty = h('section', { class: 'empty-state' },
  h('div', { class: 'empty-mark', 'aria-hidden': 'true' }),
  h('h1', {}, 'Waiting for a training run…'),
  h('p', {}, 'Start one with “Latent Lab: Train” or open a run: its bounds, images and latent units appear here as it trains.'));
const panels = tabs([
  { id: 'curves', label: 'Curves', content: curves.element },
  { id: 'images', label: 'Images', content: images.element },
  { id: 'units', label: 'Latent units', content: h('div', { class: 'view units' }, activeUnits.element, boundVsK.element) },
], settings.tab, (tab) => change({ tab }));
document.getElementById('app')!.append(empty, header.element, panels);

let themeChanged = false;

function render(): void {
  if (themeChanged) {
    themeChanged = false;
    palette = readPalette();
    applyChartDefaults(palette);
    curves.paint(palette);
    activeUnits.paint(palette);
    boundVsK.paint(palette);
  }
  empty.hidden = state.run !== null;
  panels.hidden = state.run === null;
  header.render(state.run);
  curves.render(state, settings);
  images.render(state);
  activeUnits.render(state);
  boundVsK.render(state, settings);
}

const schedule = frameScheduler(render);
watchTheme(() => {
  themeChanged = true;
  schedule();
});

render();
host.listen((message) => {
  state = message.type === 'snapshot' ? fromSnapshot(message.run) : applyEvents(state, message.runId, message.events);
  schedule();
});
