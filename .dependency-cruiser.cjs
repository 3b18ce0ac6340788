// The layer rule `npm run lint` enforces: a folder imports only from layers below it, folders of one layer do not
// import each other, and no file imports itself round a cycle. The layers, bottom first, are stated once, here.
const LAYERS = [
  ['core', ['src/contract.ts', 'src/core/']],
  ['platform', ['src/platform/']],
  [
    'config',
    [
      'src/config.ts',
      'src/configError.ts',
      'src/configLocation.ts',
      'src/jobSettings.ts',
      'src/openaiSettings.ts',
      'src/optionalText.ts',
      'src/teamSettings.ts',
      'src/vocabulary.ts',
    ],
  ],
  ['infrastructure:store', ['src/store/']],
  ['infrastructure:resources', ['src/resources/']],
  ['infrastructure:stages', ['src/stages/']],
  ['queue', ['src/queue/']],
  ['team', ['src/team/']],
  ['domain:intake', ['src/intake/']],
  ['domain:output', ['src/output/']],
  ['domain:pipeline', ['src/pipeline/']],
  ['ui', ['src/ui/']],
  ['daemon', ['src/daemon/']],
  ['cli', ['src/cli/', 'src/writeContractSchema.ts']],
];

const pattern = (paths) => `^(${paths.map((p) => p.replace(/[.]/g, '[.]')).join('|')})`;

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

module.exports = {
  forbidden: [
    ...upward,
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
