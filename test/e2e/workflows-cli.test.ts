import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { registerSimulatorActions } from '../../src/main/hubspot-assets';
import { startSimulator, type RunningSimulator } from '../../src/simulator';

/** `lifecycle provision` and `lifecycle workflows …` in-process against a simulator that outlives each command. */
describe('lifecycle provision and lifecycle workflows (CLI)', () => {
  let sim: RunningSimulator;
  let folder: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startSimulator({});
    registerSimulatorActions(sim);
    folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-workflows-cli-'));
    const portal = sim.portals[0]!;
    Object.assign(process.env, {
      HUBSPOT_ACCESS_TOKEN: portal.accessTokens[0],
      HUBSPOT_PORTAL_ID: String(portal.portalId),
      HUBSPOT_CLIENT_SECRET: portal.clientSecret,
      HUBSPOT_API_BASE_URL: sim.baseUrl,
      HUBSPOT_APP_ID: String(portal.appId),
      DATABASE_URL: `sqlite:${path.join(folder, 'cli.db')}`,
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    process.env = { ...saved };
    await sim.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });

  async function lifecycle(...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
    let out = '';
    let err = '';
    jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
    jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
    await main(['node', 'lifecycle', ...args]);
    return { out, err, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  }
  const outcomes = (out: string) => (JSON.parse(out) as { workflows: Array<{ outcome: string }> }).workflows.map((w) => w.outcome);

  it('provision twice prints the lists created once, then unchanged', async () => {
    const first = await lifecycle('provision');
    expect(first.out).toMatch(/Marketing paused \(recycle pause running\).*created/);
    const second = await lifecycle('provision');
    expect(second.out).toMatch(/Marketing paused \(recycle pause running\).*unchanged/);
    expect(second.out).not.toMatch(/│ created/);
  });

  it('workflows install twice, list, then remove', async () => {
    const installed = outcomes((await lifecycle('workflows', 'install', '--json')).out);
    expect(installed.length).toBeGreaterThanOrEqual(4);
    expect(new Set(installed)).toEqual(new Set(['created']));
    expect(new Set(outcomes((await lifecycle('workflows', 'install', '--json')).out))).toEqual(new Set(['unchanged']));
    expect(new Set(outcomes((await lifecycle('workflows', 'list', '--json')).out))).toEqual(new Set(['installed']));
    expect(new Set(outcomes((await lifecycle('workflows', 'remove', '--json')).out))).toEqual(new Set(['removed']));
    expect(new Set(outcomes((await lifecycle('workflows', 'list', '--json')).out))).toEqual(new Set(['not_installed']));
  });

  it('a bad --portal is refused with a prefixed message and exit code 1', async () => {
    const { err, exitCode } = await lifecycle('workflows', 'install', '--portal', 'abc');
    expect(exitCode).toBe(1);
    expect(err).toMatch(/^lifecycle workflows install: .*--portal must be a HubSpot portal id/s);
  });
});
