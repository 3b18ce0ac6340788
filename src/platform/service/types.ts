// What `install`, `uninstall`, `restart` and `logs` need from the platform's service manager.
export interface ServicePaths {
  node: string; // absolute path of the node binary
  bin: string; // absolute path of bin/dropscribe.js
  config: string; // the installed config file
  dataDir: string;
  logDir: string;
  home: string;
}

export interface ServiceState {
  installed: boolean;
  loaded: boolean;
  running: boolean;
  pid?: number;
  detail: string;
}

export interface ServiceManager {
  readonly kind: 'launchd' | 'systemd';
  /** The file the service definition is written to. */
  readonly definitionPath: string;
  /** The text of the service definition. */
  render(paths: ServicePaths): string;
  install(paths: ServicePaths): Promise<string[]>;
  uninstall(): Promise<string[]>;
  restart(): Promise<string[]>;
  state(): Promise<ServiceState>;
  /** The command (argv) that follows the logs. */
  logsCommand(paths: ServicePaths, follow: boolean): string[];
}
