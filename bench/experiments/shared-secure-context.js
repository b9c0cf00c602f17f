// Measurement aid, not production code: gives every https.Agent created with a `ca` list one shared secure context,
// to measure what sharing one secure context saves (docs/performance.md):
//   GATEWAY_NODE_OPTIONS="-r ./bench/experiments/shared-secure-context.js" npm run bench -- --quick
const https = require('node:https');
const tls = require('node:tls');

const OriginalAgent = https.Agent;
https.Agent = class SharedSecureContextAgent extends OriginalAgent {
  constructor(options = {}) {
    if (!options.ca) {
      super(options);
      return;
    }
    const { ca, ...rest } = options;
    super({ ...rest, secureContext: tls.createSecureContext({ ca }) });
  }
};
