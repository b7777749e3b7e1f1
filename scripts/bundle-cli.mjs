// Bundles the compiled CLI (dist/cli/main.js and everything it imports from
// dist/) into one file, dist/cli/main.bundle.js, which bin/eddy.js runs.
//
// Why: Node resolves, reads and links every ES module separately, and Eddy's
// ~270 modules made that most of `eddy start`'s cold start (see
// docs/performance.md). One file loads in well under half the time. tsc still
// compiles every module (tests, workers and library users import dist/ or src/
// directly); this step only adds the bundle. Packages stay external.
//
// `import.meta.url` is rewritten per module to the URL of the module's own
// compiled file, so paths computed from it (the worker script, the Python
// bootstrap, package.json) resolve exactly as they do unbundled.
import { relative, dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'cli', 'main.js');
const outfile = join(root, 'dist', 'cli', 'main.bundle.js');

const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const fromBundle = relative(dirname(outfile), args.path).split('\\').join('/');
      const own = `new URL(${JSON.stringify(fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Packages whose code is loaded only on demand (SDK clients, yaml, tsx) or that are native (better-sqlite3)
  // stay external; the few the server loads at every start (pino, commander, fflate) are bundled too.
  external: ['better-sqlite3', '@aws-sdk/*', '@smithy/*', 'yaml', 'tsx', 'esbuild'],
  plugins: [ownImportMetaUrl],
  // The bundled CommonJS packages require Node's built-in modules.
  banner: { js: "import { createRequire as __eddyCreateRequire } from 'node:module'; const require = __eddyCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
