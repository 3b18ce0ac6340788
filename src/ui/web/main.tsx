// The page's entry: the sign-in taken from the page (session.ts), then a hash router between the queue, a job and
// search, under one header; a page that is not signed in says how to open it.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { takeFirstPage } from './firstPage.js';
import { JobPage } from './jobPage.js';
import { QueuePage } from './queuePage.js';
import { SearchPage } from './searchPage.js';
import { onSignedOut, signedOutReason, takeSignIn } from './session.js';

interface Route {
  page: 'queue' | 'job' | 'search';
  id?: number;
  params: URLSearchParams;
}

function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const job = /^\/job\/(\d+)$/.exec(path);
  if (job) return { page: 'job', id: Number(job[1]), params };
  if (path === '/search') return { page: 'search', params };
  return { page: 'queue', params };
}

function App() {
  const [route, setRoute] = useState(parseHash(location.hash));
  const [signedOut, setSignedOut] = useState(signedOutReason);
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onHash);
    const stop = onSignedOut(setSignedOut);
    return () => {
      removeEventListener('hashchange', onHash);
      stop();
    };
  }, []);
  if (signedOut)
    return (
      <main>
        <p class="problem signed-out">{signedOut}</p>
      </main>
    );
  const search = (e: Event) => {
    e.preventDefault();
    const q = new FormData(e.target as HTMLFormElement).get('q');
    location.hash = `#/search?q=${encodeURIComponent(String(q ?? ''))}`;
  };
  return (
    <>
      <header>
        <a href="#/" class="brand">
          dropscribe
        </a>
        <nav>
          <a href="#/" class={route.page === 'queue' ? 'here' : ''}>
            Queue
          </a>
        </nav>
        <form onSubmit={search} role="search">
          <input name="q" type="search" placeholder="Search transcripts" value={route.params.get('q') ?? ''} />
        </form>
      </header>
      <main>
        {route.page === 'job' && <JobPage id={route.id!} at={Number(route.params.get('t') ?? NaN)} />}
        {route.page === 'search' && <SearchPage q={route.params.get('q') ?? ''} />}
        {route.page === 'queue' && <QueuePage />}
      </main>
    </>
  );
}

takeSignIn();
render(<App />, document.getElementById('app')!);
// The first page of jobs in index.html is for the first screen only (render is synchronous): a queue screen shown
// later, after a job page, fetches a fresh one.
takeFirstPage();
