// The formats a transcript can be written in, without the settings' schema: the daemon's settings and the web page's
// download menus read one list.

/** Every format a transcript can be written in (one renderer each, src/output/render). */
export const FORMATS = ['srt', 'vtt', 'txt', 'json', 'docx', 'md', 'csv', 'ass', 'lrc', 'fcpxml'] as const;
export type FormatName = (typeof FORMATS)[number];
