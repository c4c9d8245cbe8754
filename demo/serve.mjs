// Serves the demo: the page (demo/web), the packed app (build/demo-site),
// the JS edge (web/, runtime/) — with the dev server's MIME types, caching
// headers and throttling.
//   node demo/serve.mjs [--port 8080] [--build build]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../web/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function demoMounts(buildDir = path.join(root, 'build')) {
  const site = path.join(buildDir, 'demo-site');
  return {
    '/': path.join(root, 'demo/web'),
    '/app': path.join(site, 'app'),
    '/mono': path.join(site, 'mono'),
    '/demo-chart': path.join(site, 'chart'),
    '/demo-info.json': path.join(site, 'demo-info.json'),
    '/web': path.join(root, 'web'),
    '/runtime': path.join(root, 'runtime'),
  };
}

export async function serveDemo({ port = 8080, buildDir, quiet = true, compress = true } = {}) {
  return startServer({ mounts: demoMounts(buildDir), port, quiet, compress });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const server = await serveDemo({ port: Number(opt('--port', 8080)), buildDir: opt('--build'), quiet: !args.includes('--log') });
  console.log(`lazylink demo: ${server.url}/  (Ctrl+C to stop)`);
}
