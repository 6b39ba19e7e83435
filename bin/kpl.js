#!/usr/bin/env node
// `kpl`: the Kernel Patch Lens engine on the command line (the bundle is built by `npm run build`).
require('../dist/kpl.js');
