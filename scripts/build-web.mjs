// Builds the web page (src/ui/web) into dist/web/index.html with esbuild: the front end (preact bundled in) and the
// style sheet minified and inlined, so the first screen is one response (the daemon adds the first page of jobs).
// Run by `npm run build` (and so by prepack): an installed package serves dist/web and builds nothing.
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'ui', 'web');
const out = join(root, 'dist', 'web');

const app = await build({
  entryPoints: [join(src, 'main.tsx')],
  write: false,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
const js = app.outputFiles[0].text.trim();
const css = (
  await transform(readFileSync(join(src, 'style.css'), 'utf8'), { loader: 'css', minify: true })
).code.trim();
/** Text inside <script> or <style> must not close its element early. */
const inline = (tag, text) => {
  if (new RegExp(`</${tag}`, 'i').test(text))
    throw new Error(`the built ${tag} contains </${tag}: it cannot be inlined`);
  return text;
};

const html = readFileSync(join(src, 'index.html'), 'utf8');
const page = html
  .replace('<link rel="stylesheet" href="style.css" />', () => `<style>${inline('style', css)}</style>`)
  .replace(
    '<script type="module" src="main.tsx"></script>',
    () => `<script type="module">${inline('script', js)}</script>`,
  );
if (page === html || /src="main\.tsx"|href="style\.css"/.test(page))
  throw new Error('index.html: the style or script tag to inline is missing');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'index.html'), page);
