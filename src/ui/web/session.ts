// The page's session. `dropscribe open` gives the browser an address with a single-use code; the daemon traded it for
// a session and put that into index.html (routes/page.ts). The page keeps it in this tab's sessionStorage (never a
// cookie: browsers send a 127.0.0.1 cookie to every port of the machine) and sends it as a Bearer header. When the
// daemon no longer knows it (a restart, 12 hours unused), the page says how to open it again.
const KEY = 'dropscribe.session';
const OPEN_AGAIN = 'run `dropscribe open` to open it again';

let signedOut: string | null = null;
const watchers = new Set<(why: string) => void>();

/** Take the sign-in the daemon put into the page, and the code out of the address bar and the history. */
export function takeSignIn(): void {
  const el = document.getElementById('sign-in');
  let error: string | undefined;
  try {
    const signIn = el ? (JSON.parse(el.textContent ?? '') as { session?: string; error?: string }) : {};
    if (signIn.session) sessionStorage.setItem(KEY, signIn.session);
    error = signIn.error;
  } catch {
    /* no sign-in in this page */
  }
  el?.remove();
  if (location.search) history.replaceState(null, '', `/${location.hash}`);
  if (!sessionStorage.getItem(KEY)) signedOut = error ?? `This page is not signed in: ${OPEN_AGAIN}.`;
}

/** The headers that sign a request in. */
export function authHeaders(): Record<string, string> {
  const session = sessionStorage.getItem(KEY);
  return session ? { Authorization: `Bearer ${session}` } : {};
}

/** The daemon refused the session: forget it and tell whoever shows the page. */
export function endSession(): void {
  sessionStorage.removeItem(KEY);
  signedOut = `This page's session has ended (the daemon restarted, or the page was unused for 12 hours): ${OPEN_AGAIN}.`;
  for (const w of watchers) w(signedOut);
}

/** Why the page is signed out, or null while it is signed in. */
export const signedOutReason = () => signedOut;

export function onSignedOut(w: (why: string) => void): () => void {
  watchers.add(w);
  return () => watchers.delete(w);
}
