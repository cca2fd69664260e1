// `node --import ./register.mjs out/main/index.js`: runs the built Electron main process under
// plain Node, with `import … from 'electron'` answered by the recording stand-in beside this file.
// In-thread, synchronous hooks (Node ≥ 22.15): the bundle's static import resolves before it runs.
import { registerHooks } from 'node:module';

const standIn = new URL('./electron.mjs', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
