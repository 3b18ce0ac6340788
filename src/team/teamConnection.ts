// The connection to the team database (pg-boss on PostgreSQL): connect and install the schemas and the queue, tell a
// lost connection from a real error, reconnect in the background, and redact the URL's password from every message.
import { EventEmitter } from 'node:events';
import { PgBoss, type Db as BossDb } from 'pg-boss';
import type { Logger } from '../platform/log.js';
import { isConnectionError, TeamDatabaseError, TeamOfflineError } from './connectionError.js';
import { QUEUE } from './teamJob.js';
import { migrateTeamSchema } from './teamSchema.js';
import type { TeamSettings } from '../config/teamSettings.js';
import { redactSecrets } from './teamUrl.js';

const MAX_EXPIRE_SEC = 24 * 3600; // pg-boss's limit; the heartbeat hands a dead host's job over much sooner
const RECONNECT_MS = 2000;

export interface TeamConnectionOptions {
  url: string;
  settings: TeamSettings;
  host: string;
  log: Logger;
  /** A CLI command: no expiry supervision and no schema installation. */
  client?: boolean;
}

export class TeamConnection extends EventEmitter<{ online: []; offline: [] }> {
  private boss: PgBoss | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  protected _online = false;
  private readonly connectionUrl: string;
  private readonly settings: TeamSettings;
  /** A CLI command's connection (see TeamConnectionOptions.client). */
  private readonly client: boolean;
  protected readonly host: string;
  protected readonly log: Logger;

  constructor(o: TeamConnectionOptions) {
    super();
    this.connectionUrl = o.url;
    this.settings = o.settings;
    this.client = o.client ?? false;
    this.host = o.host;
    this.log = o.log;
  }

  get online(): boolean {
    return this._online;
  }

  /** The URL (print it only through redactUrl). */
  get url(): string {
    return this.connectionUrl;
  }

  get schema(): string {
    return this.settings.schema;
  }

  get bossSchema(): string {
    return `${this.settings.schema}_boss`;
  }

  /** Connect (install or upgrade the schemas). An unreachable server is retried in the background; anything else
   * (wrong password, no such database) is thrown. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      if (this.client || !isConnectionError(err))
        throw new TeamDatabaseError(this.redact(`team database: ${(err as Error).message}`));
      this.markOffline(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => {});
    const boss = this.boss;
    this.boss = undefined;
    this._online = false;
    await boss?.stop({ graceful: false, close: true, timeout: 5000 }).catch(() => {});
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (!this.boss) {
      const s = this.settings;
      const boss = new PgBoss({
        connectionString: this.connectionUrl,
        ssl: s.ssl ?? undefined,
        schema: this.bossSchema,
        application_name: 'dropscribe',
        max: 4,
        connectionTimeoutMillis: 5000,
        schedule: false,
        supervise: !this.client,
        migrate: !this.client,
        superviseIntervalSeconds: s.superviseSec,
        monitorIntervalSeconds: Math.max(s.superviseSec, 10),
        registerInstance: false,
      });
      boss.on('error', (err) => this.onBackgroundError(err));
      try {
        await boss.start();
      } catch (err) {
        await boss.stop({ graceful: false, close: true, timeout: 1000 }).catch(() => {});
        throw err;
      }
      this.boss = boss;
    }
    if (!this.client) {
      await migrateTeamSchema(this.db(), this.schema);
      await this.ensureQueue();
    }
    this.markOnline();
  }

  private async ensureQueue(): Promise<void> {
    const s = this.settings;
    const options = {
      retryLimit: s.retryLimit,
      retryDelay: 0,
      expireInSeconds: MAX_EXPIRE_SEC,
      heartbeatSeconds: s.heartbeatSec,
      deleteAfterSeconds: 0,
      retentionSeconds: 365 * 24 * 3600,
    };
    const boss = this.requireBoss();
    if (await boss.getQueue(QUEUE)) await boss.updateQueue(QUEUE, options);
    else
      await boss.createQueue(QUEUE, { ...options, policy: 'exclusive' }).catch(async (err) => {
        if (!(await boss.getQueue(QUEUE))) throw err; // another host created it first
      });
  }

  private markOnline(): void {
    const was = this._online;
    this._online = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!was) {
      this.log.info('team database connected');
      this.emit('online');
    }
    this.onOnline();
  }

  /** Called every time a call succeeds or the connection comes back. */
  protected onOnline(): void {}

  private markOffline(err: unknown): void {
    if (this.stopped) return;
    if (this._online) {
      this._online = false;
      this.log.warn(
        { err: this.redact((err as Error)?.message ?? String(err)) },
        'team database unreachable: running jobs go on, new files wait, results are kept until it is back',
      );
      this.emit('offline');
    }
    this.reconnectTimer ??= setTimeout(() => void this.reconnect(), RECONNECT_MS);
  }

  private async reconnect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.stopped) return;
    try {
      if (this.boss) await this.db().executeSql('SELECT 1');
      await this.connect();
    } catch (err) {
      if (!isConnectionError(err))
        this.log.error({ err: this.redact((err as Error).message) }, 'team database error while reconnecting');
      this.reconnectTimer ??= setTimeout(() => void this.reconnect(), RECONNECT_MS);
    }
  }

  private onBackgroundError(err: unknown): void {
    if (isConnectionError(err)) this.markOffline(err);
    else this.log.warn({ err: this.redact((err as Error)?.message ?? String(err)) }, 'team queue maintenance error');
  }

  /** Run a database call; a lost connection marks the queue offline and becomes TeamOfflineError. */
  async call<T>(fn: (boss: PgBoss) => Promise<T>): Promise<T> {
    if (!this.boss || (!this._online && this.connecting)) throw new TeamOfflineError();
    try {
      const result = await fn(this.boss);
      if (!this._online) this.markOnline();
      return result;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.markOffline(err);
      throw new TeamOfflineError(this.redact(`the team database cannot be reached: ${(err as Error).message}`));
    }
  }

  db(): BossDb {
    return this.requireBoss().getDb();
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new TeamOfflineError();
    return this.boss;
  }

  redact(text: string): string {
    return redactSecrets(text, this.connectionUrl);
  }
}
