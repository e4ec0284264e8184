// Preload (`node --import …/record-modules.mjs`) for the fleet test: writes every module the process
// loaded — ES modules through a resolve hook, CommonJS from require.cache at exit — to
// RECORD_MODULES_FILE, so the test can show that no TypeScript (typescript, tsx, a .ts file) is loaded.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.RECORD_MODULES_FILE;
if (file) {
  register('./record-modules-hooks.mjs', import.meta.url, { data: { file } });
  const require = createRequire(import.meta.url);
  process.on('exit', () =>
    appendFileSync(
      file,
      Object.keys(require.cache)
        .map((path) => `cjs ${path}\n`)
        .join(''),
    ),
  );
}
