// An Eddy on a data directory in its own process, for the crash tests
// (esm-restart, async-events-crash: they SIGKILL it). Prints its endpoint, then serves until killed.
// Usage: node --import tsx esm-crash-eddy.ts <dataDir>
import { createEddy } from '../../src/eddy.js';

const eddy = createEddy({ port: 0, inMemory: false, dataDir: process.argv[2]! });
process.stdout.write(`${await eddy.listen()}\n`);
