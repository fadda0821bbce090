import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { buildCareBundle } from './test/care-bundle.mjs';
import { jitsiTestDomain } from './test/fixtures/jitsi/jitsi-test-domain.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Runs the real care server (demo mode, fresh SQLite file) on 127.0.0.1 for the browser tests, and
 * lets a test stop and start it through `executeServerCommand('care-server', { action })`.
 */
function careServer({ port }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'care-wtr-'));
  const endpoint = `http://127.0.0.1:${port}`;
  let child = null;
  /** The server bundled from the sources once per run: a restart takes about 0.5 s, not 2 s through tsx. */
  let bundle = null;

  async function waitUntilHealthy() {
    for (let i = 0; i < 300; i++) {
      try {
        const res = await fetch(`${endpoint}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`care server exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('care server did not become healthy in 30 s');
  }

  async function start() {
    if (child) return;
    bundle ??= await buildCareBundle();
    child = spawn(process.execPath, [bundle.server, '--demo'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dataDir, 'care.db')}`,
        CARE_ALLOWED_ORIGINS: '*',
        CARE_AUTH_FAILURE_LIMIT: '10000',
        CARE_RATE_LIMIT_PER_IP: '1000000',
        CARE_RATE_LIMIT_PER_TOKEN: '1000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitUntilHealthy();
  }

  async function stop() {
    if (!child) return;
    const exiting = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exiting;
    child = null;
  }

  return {
    name: 'care-server',
    async serverStart() {
      await start();
    },
    async serverStop() {
      await stop();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'care-server') return undefined;
      switch (payload?.action) {
        case 'info':
          return { endpoint };
        case 'stop':
        case 'start': {
          const started = Date.now();
          await (payload.action === 'stop' ? stop() : start());
          // A slow restart is the usual cause of a timed-out offline test: say so in the log.
          const ms = Date.now() - started;
          if (ms > 2_000) console.error(`[care-server] ${payload.action} took ${ms} ms`);
          return { endpoint };
        }
        default:
          throw new Error(`unknown care-server action ${payload?.action}`);
      }
    },
  };
}

/**
 * A server that is up but does not allow the test page's origin: it answers /healthz and /trpc
 * without any CORS headers, as a care server does for a portal missing from CARE_ALLOWED_ORIGINS.
 * `executeServerCommand('origin-refusing-server')` returns its `{ endpoint }`.
 */
function originRefusingServer() {
  let server = null;
  let endpoint = '';
  return {
    name: 'origin-refusing-server',
    async serverStart() {
      server = createServer((req, res) => {
        const healthy = req.url?.startsWith('/healthz');
        res.writeHead(healthy ? 200 : 204, { 'content-type': 'application/json' });
        res.end(healthy ? '{"ok":true}' : undefined);
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${server.address().port}`;
    },
    async serverStop() {
      await new Promise((resolve) => server?.close(resolve) ?? resolve());
    },
    executeCommand({ command }) {
      return command === 'origin-refusing-server' ? { endpoint } : undefined;
    },
  };
}

/** `executeServerCommand('emulate-a11y-media', { forcedColors, reducedMotion })`: forced colors is Playwright-only in emulateMedia. */
function a11yMedia() {
  return {
    name: 'emulate-a11y-media',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-a11y-media') return undefined;
      const page = session.browser.getPage(session.id);
      // puppeteer's emulateMediaFeatures refuses forced-colors; the DevTools protocol takes it.
      const cdp = (page.__a11yCdp ??= await page.createCDPSession());
      await cdp.send('Emulation.setEmulatedMedia', {
        features: [
          { name: 'forced-colors', value: payload?.forcedColors ?? 'none' },
          { name: 'prefers-reduced-motion', value: payload?.reducedMotion ?? 'no-preference' },
        ],
      });
      return true;
    },
  };
}

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testRunnerHtml: (testFramework) => `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
    <script type="module" src="/test/components/setup/visible-text.js"></script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
  testsFinishTimeout: 300000,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, json: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    careServer({ port: Number(process.env.CARE_TEST_PORT ?? 8799) }),
    jitsiTestDomain(),
    a11yMedia(),
    originRefusingServer(),
  ],
};
