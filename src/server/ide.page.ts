// The GraphQL IDE page: Graphile's ruru (a GraphiQL distribution) whose files come from the installed package, no CDN.
import { ruruHTML } from 'ruru/server';

/** Where the IDE's files are served (src/server/ide.route.ts); outside /graphql so that they never reach the GraphQL fast path. */
export const IDE_ASSETS_PATH = '/graphql-ide/';
export const IDE_START_SCRIPT = 'gateway-ide.js';

/**
 * Scripts and connections only from the gateway itself. Styles also inline: the editor (Monaco) and GraphiQL's
 * components inject <style> elements at run time; no script is inline, so script-src stays 'self'.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const IDE_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': IDE_CONTENT_SECURITY_POLICY,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * ruru's page with its inline scripts replaced by one script file (IDE_START_SCRIPT), so the policy needs no
 * 'unsafe-inline' for scripts; its configuration travels as a JSON data block, which browsers never execute.
 */
export function idePageHtml(graphqlPath: string): string {
  const clientConfig = { endpoint: graphqlPath, staticPath: IDE_ASSETS_PATH, defaultQuery: '{\n  health {\n    status\n  }\n}\n' };
  const json = JSON.stringify(clientConfig).replace(/</g, '\\u003c');
  return ruruHTML({
    staticPath: IDE_ASSETS_PATH,
    endpoint: graphqlPath,
    htmlParts: {
      titleTag: '<title>ms-graph-gateway · GraphQL IDE</title>',
      configScript: `<script type="application/json" id="ide-config">${json}</script>`,
      headerScripts: '',
      bodyScripts: '',
      bodyInitScript: `<script type="module" src="${IDE_ASSETS_PATH}${IDE_START_SCRIPT}"></script>`,
    },
  });
}

/**
 * Starts ruru in the page. A `#session_token=…` fragment (the signed-in page links here with one) presets the
 * Authorization header and is then removed from the address bar, so the token is not left in the URL or history.
 */
export const IDE_START_SCRIPT_SOURCE = `// Starts the GraphQL IDE (ruru) with the configuration the page carries.
const config = JSON.parse(document.getElementById('ide-config').textContent);
const worker = (file) => new Worker(new URL(config.staticPath + file, import.meta.url), { type: 'module' });
globalThis.MonacoEnvironment = {
  getWorker(_, label) {
    if (label === 'json') return worker('jsonWorker.js');
    if (label === 'graphql') return worker('graphqlWorker.js');
    return worker('editorWorker.js');
  },
};
const fragment = new URLSearchParams(location.hash.slice(1));
const sessionToken = fragment.get('session_token');
if (sessionToken) {
  const headers = JSON.stringify({ Authorization: 'Bearer ' + sessionToken }, null, 2);
  config.initialHeaders = headers;
  config.defaultHeaders = headers;
  config.isHeadersEditorEnabled = true;
  history.replaceState(null, '', location.pathname + location.search);
}
const { React, createRoot, Ruru } = await import(config.staticPath + 'ruru.js');
createRoot(document.getElementById('ruru-root')).render(React.createElement(Ruru, config));
`;
