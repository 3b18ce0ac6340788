// The layer rule `npm run lint` enforces, stated once, here. LAYERS lists the layers bottom first; a layer's folders
// import only from layers below it and from their own folder. Folders of one layer do not import each other, except
// the sideways imports in SIDEWAYS (each with its reason). No file imports itself round a cycle.
const LAYERS = [
  ['core', ['src/core/']],
  ['platform', ['src/platform/']],
  ['config', ['src/config/']],
  ['infrastructure', ['src/store/', 'src/resources/', 'src/stages/']],
  ['queue', ['src/queue/']],
  ['team', ['src/team/']],
  ['domain', ['src/intake/', 'src/output/', 'src/pipeline/']],
  ['ui', ['src/ui/']],
  ['daemon', ['src/daemon/']],
  ['cli', ['src/cli/']],
];

/** The sideways imports allowed inside a layer: [from folder, to folder, why]. Nothing else crosses. */
const SIDEWAYS = [
  [
    'src/stages/',
    'src/resources/',
    'a stage that dies of a full disk is classified by the disk probe (resources/diskFull.ts)',
  ],
  ['src/pipeline/', 'src/output/', 'the pipeline renders the formats at its end (output/render)'],
];

const escape = (p) => p.replace(/[.]/g, '[.]');
const pattern = (paths) => `^(${paths.map(escape).join('|')})`;

/** Layer i may import layers below it only: nothing above it. */
const upward = LAYERS.slice(0, -1).map(([name, paths], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} is below ${LAYERS.slice(i + 1)
    .map(([n]) => n)
    .join(', ')}: it must not import them`,
  severity: 'error',
  from: { path: pattern(paths) },
  to: { path: pattern(LAYERS.slice(i + 1).flatMap(([, p]) => p)) },
}));

/** A folder may not import another folder of its own layer unless SIDEWAYS allows that pair. */
const sideways = LAYERS.flatMap(([name, paths]) =>
  paths
    .map((from) => {
      const others = paths.filter((p) => p !== from && !SIDEWAYS.some(([f, t]) => f === from && t === p));
      return others.length === 0
        ? null
        : {
            name: `no-sideways-in-${name}`,
            comment: `${from} and ${others.join(', ')} are both ${name}: they do not import each other (SIDEWAYS lists the exceptions)`,
            severity: 'error',
            from: { path: pattern([from]) },
            to: { path: pattern(others) },
          };
    })
    .filter(Boolean),
);

/** No loose files at the root of src/ (an index.ts aside): every source file sits in a layer's folder. */
const LOOSE = { path: '^src/[^/]+$', pathNot: '^src/index[.]ts$' };
const loose = [
  { name: 'no-loose-files', severity: 'error', from: LOOSE, to: {} },
  { name: 'no-loose-files', severity: 'error', from: { ...LOOSE, orphan: true }, to: {} },
].map((rule) => ({ ...rule, comment: 'every source file belongs to a layer folder listed in LAYERS' }));

module.exports = {
  forbidden: [
    ...upward,
    ...sideways,
    ...loose,
    {
      name: 'no-circular',
      comment: 'no file imports itself round a cycle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'tests-not-from-src',
      comment: 'production code does not import tests or their fixtures',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules|python)/' },
  },
};
