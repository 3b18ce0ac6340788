// `doctor` check of the speaker model (diarize stage): resemblyzer's pretrained.pt, its sha256, the converted npz.
import type { SpeakerModel } from '../core/doctorReport.js';
import type { Check } from './check.js';

/** Optional: without the model a job is done without speakers (diarize degrades). */
export function checkSpeakerModel(r: SpeakerModel | undefined): Check {
  const fix = 'run `npm install` again (it installs resemblyzer==0.1.4 without its dependencies and converts it)';
  if (!r) return { name: 'speaker model', ok: false, optional: true, detail: 'not reported', fix };
  const ok = Boolean(r.path) && r.sha256Ok && r.convertedPresent;
  const detail = r.path
    ? `${r.path} (sha256 ${r.sha256Ok ? 'ok' : 'WRONG'}), converted ${r.convertedPresent ? 'at' : 'missing:'} ${r.converted}`
    : `${r.error ?? 'not installed'}`;
  return {
    name: 'speaker model',
    ok,
    optional: true,
    detail: ok ? detail : `${detail}: jobs get no speakers`,
    fix: ok ? undefined : fix,
  };
}
