import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSwitchyard } from './run-switchyard.js';

describe('switchyard dispatch', () => {
  it('lists the commands on --help and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await runSwitchyard(argv);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^Usage: switchyard <command>/);
      for (const name of [
        'cost fee',
        'cost capacity',
        'cost mix',
        'models',
        'estimate',
        'check-config',
        'spend',
      ]) {
        expect(stdout).toContain(`switchyard ${name} `);
      }
    }
  });

  it('answers an unknown command with exit 2 and the command list', async () => {
    const { code, stdout, stderr } = await runSwitchyard(['deploy']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^switchyard: unknown command "deploy"\n\nCommands:\n/);
    expect(stderr).toContain('switchyard check-config');
  });

  it('treats a missing command as a usage error', async () => {
    const { code, stderr } = await runSwitchyard([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Usage: switchyard <command>/);
  });

  it('lists the cost subcommands when one is missing or unknown', async () => {
    const missing = await runSwitchyard(['cost']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^switchyard cost: missing subcommand\n\nCommands:\n {2}switchyard cost fee /,
    );
    expect(missing.stderr).not.toContain('check-config');
    const unknown = await runSwitchyard(['cost', 'tax']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^switchyard cost: unknown subcommand "tax"/);
    const help = await runSwitchyard(['cost', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('switchyard cost mix ');
  });

  it('gives --help on every command', async () => {
    for (const name of [
      'cost fee',
      'cost capacity',
      'cost mix',
      'models',
      'estimate',
      'check-config',
      'spend',
    ]) {
      const viaFlag = await runSwitchyard([...name.split(' '), '--help']);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: switchyard ${name}`));
      const viaHelp = await runSwitchyard(['help', ...name.split(' ')]);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
  });

  it('prints the version', async () => {
    const { code, stdout } = await runSwitchyard(['--version']);
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    // After a version bump, set CLI_VERSION in src/cli-version.ts to package.json's version.
    expect(stdout).toBe(`${manifest.version}\n`);
  });
});
