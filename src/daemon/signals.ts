// The host owns signals: SIGTERM/SIGINT stop gracefully; a second signal, or a stop that takes too long, forces exit.
import type { Logger } from '../platform/log.js';

export function handleSignals(stop: () => Promise<void>, log: Logger, forceAfterMs = 15_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, 'stopping gracefully');
    const force = setTimeout(() => {
      log.error('graceful stop took too long: exiting');
      process.exit(1);
    }, forceAfterMs);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
