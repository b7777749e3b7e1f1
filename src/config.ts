/** Everything an Eddy instance is configured with; the CLI and tests build one. */
export interface EddyConfig {
  port: number;
  host: string;
  /** Directory holding `eddy.db`; ignored when `inMemory`. */
  dataDir: string;
  inMemory: boolean;
  region: string;
  accountId: string;
  /** How long a new or updated table stays CREATING/UPDATING, in milliseconds. */
  tableTransitionMs: number;
}

export const defaultConfig: EddyConfig = {
  port: 4566,
  host: '127.0.0.1',
  dataDir: '.eddy',
  inMemory: false,
  region: 'us-east-1',
  accountId: '000000000000',
  tableTransitionMs: 0,
};
