// The speakers of a transcript (when speaker labels found two or more) with their speaking time, each renamable;
// labelled as the outputs label them (core/transcriptDocument.ts).
import { useState } from 'preact/hooks';
import { speakerLabel, speakersLabelled } from '../../core/transcriptDocument.js';
import { clock, type Correction, type Speaker, type Transcript } from './api.js';

export { speakersLabelled };

/** A segment's label: the name, else `Speaker N`; none when the transcript has fewer than two speakers. */
export function speakerName(t: Transcript, id: string | undefined): string | undefined {
  return speakerLabel(t, id);
}

export function Speakers({ speakers, save }: { speakers: Speaker[]; save: (c: Correction) => Promise<void> }) {
  return (
    <ul class="speakers">
      {speakers.map((s) => (
        <SpeakerItem speaker={s} save={save} />
      ))}
    </ul>
  );
}

function SpeakerItem({ speaker, save }: { speaker: Speaker; save: (c: Correction) => Promise<void> }) {
  const [name, setName] = useState(speaker.name ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    if (name.trim() && name.trim() !== speaker.name) void save({ kind: 'speaker', id: speaker.id, name: name.trim() });
  };
  return (
    <li>
      <form onSubmit={submit}>
        <code>{speaker.id}</code>{' '}
        <input
          value={name}
          aria-label={`name of ${speaker.id}`}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button>Rename</button>
        {speaker.speechSec !== undefined && <small> {clock(speaker.speechSec)} of speech</small>}
      </form>
    </li>
  );
}
