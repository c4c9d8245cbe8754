// A run's settings as the domain's linker options: `lazylink run`'s memory
// options (--malloc, --initial-memory, ...: web/cli.mjs), and a packed app's
// manifest "settings" (lazylink pack takes the same options; docs/manifest.md).
//
//   new Domain({ ..., linker: { ...linkerSettings(manifest.json.settings), ...options.linker } })
import { EMMALLOC_LIBSTD } from './standard-library.mjs';

// settings: { malloc, initialMemory, maximumMemory, stackSize,
// geometricStep, geometricCap, linearStep } (sizes in bytes).
export function linkerSettings(settings = {}) {
  const PAGE = 65536;
  const linker = {};
  if (settings.initialMemory !== undefined) linker.initialMemory = settings.initialMemory;
  if (settings.stackSize !== undefined) linker.stackSize = Math.ceil(settings.stackSize / 16) * 16;
  if (settings.maximumMemory !== undefined) linker.maxMemoryPages = Math.floor(settings.maximumMemory / PAGE);
  if (settings.malloc === 'emmalloc') linker.implicitNeeded = [EMMALLOC_LIBSTD];
  const growth = {};
  for (const k of ['geometricStep', 'geometricCap', 'linearStep']) if (settings[k] !== undefined) growth[k] = settings[k];
  if (Object.keys(growth).length) linker.memoryGrowth = growth;
  return linker;
}
