// Dropping files onto the page (or choosing them) uploads them into the inbox, one at a time, each with its outcome.
import { useEffect, useState } from 'preact/hooks';
import { signedFetch } from './api.js';

interface Upload {
  name: string;
  state: 'waiting' | 'uploading' | 'done' | 'refused';
  message?: string;
}

export function Uploads() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);

  const send = async (files: File[]) => {
    const set = (name: string, u: Partial<Upload>) =>
      setUploads((list) => list.map((x) => (x.name === name ? { ...x, ...u } : x)));
    setUploads((list) => [...files.map((f) => ({ name: f.name, state: 'waiting' as const })), ...list]);
    for (const f of files) {
      set(f.name, { state: 'uploading' });
      const res = await signedFetch(`/api/upload?name=${encodeURIComponent(f.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: f,
      }).catch((e: Error) => ({ ok: false, json: async () => ({ error: e.message }) }));
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      set(f.name, res.ok ? { state: 'done' } : { state: 'refused', message: body.error });
    }
  };

  useEffect(() => {
    const over = (e: DragEvent) => {
      e.preventDefault();
      setOver(true);
    };
    const leave = () => setOver(false);
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      void send([...(e.dataTransfer?.files ?? [])]);
    };
    addEventListener('dragover', over);
    addEventListener('dragleave', leave);
    addEventListener('drop', drop);
    return () => {
      removeEventListener('dragover', over);
      removeEventListener('dragleave', leave);
      removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div class={`drop ${over ? 'over' : ''}`}>
      <label>
        Drop recordings anywhere on this page, or{' '}
        <input
          type="file"
          multiple
          accept="audio/*,video/*"
          onChange={(e) => void send([...((e.target as HTMLInputElement).files ?? [])])}
        />
      </label>
      {uploads.length > 0 && (
        <ul class="uploads">
          {uploads.map((u) => (
            <li class={u.state}>
              {u.name}: {u.state}
              {u.message ? ` (${u.message})` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
