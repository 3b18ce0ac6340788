// A Hugging Face hub on 127.0.0.1 for download tests: the file API (model info with blobs, resolve with Range) serving
// a copy of the bundled `base` model (or of another model folder) under another repo name; it can drop the first connection halfway or be slow.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PYTHON_DIR } from '../../src/platform/paths.js';

/** The bundled base model as npm install assembles it. */
export const BASE_FOLDER = join(PYTHON_DIR, '.venv', 'share', 'dropscribe', 'models', 'whisper-base');
export const TEST_REPO = 'dropscribe-test/whisper-base-copy';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export interface HubOptions {
  /** Serve this model folder (the bundled base by default) under this repo name (TEST_REPO by default). */
  folder?: string;
  repo?: string;
  /** Cut the first download of model.bin after this fraction of it. */
  dropAt?: number;
  /** Send files at this speed. */
  bytesPerSec?: number;
}

export interface ServedRange {
  file: string;
  start: number;
  sent: number;
  at: number;
}

export interface HubServer {
  endpoint: string;
  modelBytes: number;
  served: ServedRange[];
  close(): Promise<void>;
}

interface HubFile {
  name: string;
  path: string;
  size: number;
  lfs: boolean;
  hash: string;
}

const filesOf = new Map<string, HubFile[]>();
/** The files the hub keeps in LFS: the weights (CTranslate2's model.bin, MLX's weights). */
const LFS = new Set(['model.bin', 'weights.npz', 'weights.safetensors']);

/** The model's files with the hashes the hub states: sha256 for LFS (the weights), the git blob sha1 for the rest. */
function modelFiles(folder: string): HubFile[] {
  const files = readdirSync(folder).map((name) => {
    const path = join(folder, name);
    const size = statSync(path).size;
    const lfs = LFS.has(name);
    const data = readFileSync(path);
    const hash = lfs
      ? createHash('sha256').update(data).digest('hex')
      : createHash('sha1').update(`blob ${size}\0`).update(data).digest('hex');
    return { name, path, size, lfs, hash };
  });
  filesOf.set(folder, files);
  return files;
}

export async function startHub(options: HubOptions = {}): Promise<HubServer> {
  const folder = options.folder ?? BASE_FOLDER;
  const repo = options.repo ?? TEST_REPO;
  const all = filesOf.get(folder) ?? modelFiles(folder);
  const served: ServedRange[] = [];
  let dropped = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname === `/api/models/${repo}/revision/main`) {
      const siblings = all.map((f) =>
        f.lfs
          ? { rfilename: f.name, size: f.size, lfs: { size: f.size, sha256: f.hash, pointerSize: 134 } }
          : { rfilename: f.name, size: f.size, blobId: f.hash },
      );
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: repo, sha: COMMIT, siblings }));
      return;
    }
    const prefix = `/${repo}/resolve/${COMMIT}/`;
    const file = url.pathname.startsWith(prefix) ? all.find((f) => f.name === url.pathname.slice(prefix.length)) : null;
    if (!file) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const record: ServedRange = { file: file.name, start, sent: 0, at: Date.now() };
    served.push(record);
    res.writeHead(start ? 206 : 200, {
      'content-length': file.size - start,
      'accept-ranges': 'bytes',
      ...(start ? { 'content-range': `bytes ${start}-${file.size - 1}/${file.size}` } : {}),
    });
    const dropAfter =
      options.dropAt !== undefined && file.lfs && !dropped ? Math.floor(file.size * options.dropAt) : Infinity;
    if (dropAfter !== Infinity) dropped = true;
    const stream = createReadStream(file.path, { start, highWaterMark: 256 * 1024 });
    res.on('close', () => stream.destroy());
    stream.on('data', (chunk: Buffer | string) => {
      const n = chunk.length;
      record.sent += n;
      res.write(chunk);
      if (record.sent >= dropAfter) {
        stream.destroy();
        res.socket?.destroy(); // the connection goes away halfway
        return;
      }
      if (options.bytesPerSec) {
        stream.pause();
        setTimeout(() => stream.resume(), (n / options.bytesPerSec) * 1000);
      }
    });
    stream.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    modelBytes: all.find((f) => f.lfs)!.size,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (a server bound it and closed again). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
