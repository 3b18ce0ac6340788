// The real mlx-whisper through the real daemon beside faster-whisper beam 1 on the same bundled base weights, on
// three corpus clips in English, French and German (test/helpers/mlxBesideFasterWhisper.ts says what is compared).
// In test:quality for its time (six base transcriptions, three on MLX's CPU backend); npm test runs the same
// comparison on two short clips in two languages (test/e2e/mlxBackend.test.ts).
import { mlxBesideFasterWhisper } from '../helpers/mlxBesideFasterWhisper.js';

mlxBesideFasterWhisper(
  'three clips in three languages: same language and text as faster-whisper beam 1, word timings within 0.05 s',
  ['jfk.flac', 'fr_picovoice_test_fr.wav', 'de_picovoice_test_de.wav'],
);
