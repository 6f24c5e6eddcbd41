/**
 * What the render page is made of: an import map to maplibre-gl, pmtiles and fflate from node_modules, the
 * web app's own style code (console/web/src, TypeScript transpiled on the fly, so the test draws exactly
 * the app's style and layers), and a module that draws one scenario and says when it is done.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const WEB_SRC = fileURLToPath(new URL('../../../console/web/src/', import.meta.url));
const DISTRICTS = fileURLToPath(new URL('../../../districts/data/districts.geojson', import.meta.url));
const require = createRequire(join(WEB_SRC, '..', 'package.json'));
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export interface Served {
  body: Buffer | string;
  contentType: string;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.geojson': 'application/json', '.pmtiles': 'application/octet-stream', '.png': 'image/png' };
const typeOf = (path: string) => TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

export function renderPageHtml(width: number, height: number): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<style>html,body{margin:0;padding:0;background:#000}#map{width:${width}px;height:${height}px}</style>
<link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<script type="importmap">${JSON.stringify({ imports: { 'maplibre-gl': '/maplibre/maplibre-gl.mjs', pmtiles: '/pmtiles/index.js', fflate: '/fflate/browser.js' } })}</script>
</head><body><div id="map"></div><script type="module" src="/draw.js"></script></body></html>`;
}

/**
 * The drawing module: builds the offline style (with the Protomaps basemap when the scenario names a
 * .pmtiles file), adds the scenario's switchable layers, drops every symbol layer (no text: fonts differ
 * between machines), sets the scenario's data and resolves window.rendered once maplibre is idle.
 */
const DRAW = `
import { Map, setWorkerUrl } from 'maplibre-gl';
import { buildStyle } from '/src/map/style.js';
import { BASEMAP_COLOURS, withProtomaps } from '/src/map/basemap.js';
import { layerSpecs, sourceIdOf } from '/src/map/layers/catalogue.js';
setWorkerUrl('/maplibre/maplibre-gl-worker.mjs');
// The page is /page/<case>: its scenario is /case/<case>/scenario.json.
const base = '/case/' + location.pathname.split('/')[2] + '/';
const scenario = await (await fetch(base + 'scenario.json')).json();
const theme = scenario.theme ?? 'dark';
let style = buildStyle(theme, 'en');
if (scenario.basemap) style = withProtomaps(style, base + scenario.basemap, '© OpenStreetMap', theme);
for (const layer of scenario.layers ?? []) {
  style.sources[sourceIdOf(layer)] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  const at = style.layers.findIndex((l) => l.id === 'device-cluster');
  style.layers.splice(at, 0, ...layerSpecs(layer, theme));
}
style.layers = style.layers.filter((l) => l.type !== 'symbol');
for (const [source, file] of Object.entries(scenario.data ?? {})) {
  style.sources[source] = { ...style.sources[source], data: base + file };
}
const map = new Map({
  container: 'map', style, center: scenario.viewport.center, zoom: scenario.viewport.zoom,
  interactive: false, attributionControl: false, fadeDuration: 0, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
});
window.renderError = null;
map.on('error', (e) => { window.renderError = String(e.error?.message ?? e.error); });
window.renderMap = map;
window.basemapColours = BASEMAP_COLOURS;
map.once('idle', () => { window.rendered = true; });
`;

const transpiled = new globalThis.Map<string, string>();

/** A file of the render page, or undefined (404). `casesDir`: the folder of scenario folders. */
export function serve(path: string, casesDir: string): Served | undefined {
  if (path === '/draw.js') return { body: DRAW, contentType: 'text/javascript' };
  if (path.startsWith('/maplibre/')) return file(join(packageDir('maplibre-gl'), 'dist', path.slice('/maplibre/'.length)));
  if (path === '/pmtiles/index.js') return file(join(packageDir('pmtiles'), 'dist', 'esm', 'index.js'));
  if (path === '/fflate/browser.js') return file(join(packageDir('fflate'), 'esm', 'browser.js'));
  if (path === '/data/districts.geojson') return file(DISTRICTS);
  if (path === '/data/district-labels.geojson') return { body: '{"type":"FeatureCollection","features":[]}', contentType: 'application/json' };
  if (path.startsWith('/case/') && !path.includes('..')) return file(join(casesDir, path.slice('/case/'.length)));
  if (path.startsWith('/src/') && path.endsWith('.js')) {
    const source = join(WEB_SRC, path.slice('/src/'.length, -'.js'.length) + '.ts');
    let body = transpiled.get(source);
    if (body === undefined) {
      body = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
      transpiled.set(source, body);
    }
    return { body, contentType: 'text/javascript' };
  }
  return undefined;
}

function file(path: string): Served | undefined {
  try {
    return { body: readFileSync(path), contentType: typeOf(path) };
  } catch {
    return undefined;
  }
}
