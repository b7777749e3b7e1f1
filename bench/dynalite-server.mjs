// dynalite (https://github.com/architect/dynalite, a devDependency) as a
// server of its own for bench/sidebyside.mjs: in memory, tables ACTIVE at once.
// It prints one ready line with its URL, as `eddy start` does.
//
//   node bench/dynalite-server.mjs [--port <p>]     (port 0, the default, picks a free one)
import dynalite from 'dynalite';

const portFlag = process.argv.indexOf('--port');
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 0;

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`dynalite ready on http://127.0.0.1:${server.address().port}\n`);
});

// dynalite's own close() waits up to 30 s for sockets; the bench's keep-alive
// sockets are closed by then anyway, and nothing in memory needs saving.
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
