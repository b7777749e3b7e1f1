import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real terraform CLI and AWS provider on these machines: the provider comes
 * from a filesystem mirror, so `terraform init` works offline. Each test
 * directory gets its own CLI configuration naming the mirror (nothing in the
 * user's home is needed or touched).
 */
export const TERRAFORM = '/usr/local/bin/terraform';
export const PROVIDER_MIRROR = '/opt/tf-plugins';

/** Whether this machine has what the Terraform tests use; they fail, naming what is missing, when it does not. */
export function terraformMissing(): string | undefined {
  if (!existsSync(TERRAFORM)) return `terraform is expected at ${TERRAFORM} on these machines`;
  if (!existsSync(PROVIDER_MIRROR)) return `the AWS provider is expected in the filesystem mirror ${PROVIDER_MIRROR}`;
  return undefined;
}

/** Runs terraform in `dir`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function terraform(dir: string, args: string[]): Promise<{ code: number; output: string }> {
  const rc = join(dir, '.terraformrc');
  if (!existsSync(rc)) writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${PROVIDER_MIRROR}"\n  }\n}\n`);
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1' };
  return new Promise((resolve) => {
    execFile(TERRAFORM, [...args, '-no-color'], { cwd: dir, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
