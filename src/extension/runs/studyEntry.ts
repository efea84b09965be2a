// One K study's manifest (<name>.study.json) as the runs view and the
// experiment dashboard list it: its plan, status and results, and the ids of
// its runs. Like a run folder, a manifest can be caught half written or
// damaged, so reading it never throws: what cannot be read becomes a problem.
import { basename, join } from 'node:path';
import { readStudy, STUDY_SUFFIX } from '../../engine/study/studyRun';
import type { StudyManifest } from '../../shared/study';
import { errorMessage } from '../logger';

export interface StudyEntry {
  /** The study's name, prefixed like its runs' ids when there are several runs folders. */
  id: string;
  name: string;
  file: string;
  runsFolder: string;
  manifest?: StudyManifest;
  /** Why the manifest could not be read. */
  problem?: string;
  /** Ids of the study's runs, in the manifest's order. */
  runIds: string[];
}

export const isStudyFile = (name: string): boolean => name.endsWith(STUDY_SUFFIX) && name.length > STUDY_SUFFIX.length;

export function readStudyEntry(runsFolder: string, fileName: string, prefix = ''): StudyEntry {
  const name = basename(fileName, STUDY_SUFFIX);
  const file = join(runsFolder, fileName);
  const base = { id: prefix + name, name, file, runsFolder, runIds: [] };
  try {
    const manifest = readStudy(file);
    if (!manifest) return { ...base, problem: `${file} is gone` };
    return { ...base, manifest, runIds: manifest.cells.map((c) => prefix + c.run) };
  } catch (err) {
    return { ...base, problem: errorMessage(err) };
  }
}
