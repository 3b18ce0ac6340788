// The speakers of a transcript (when speaker labels found them) with their speaking time, each renamable.
import { useState } from 'preact/hooks';
import { clock, type Correction, type Speaker, type Transcript } from './api.js';

export function speakerName(t: Transcript, id: string): string {
  return t.speakers?.find((s) => s.id === id)?.name ?? id;
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
  const [name, setName] = useState(speaker.name);
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
