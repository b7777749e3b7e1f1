// The yardstick for bench/run.mjs: the least a Node.js server can do to answer
// the same requests. It reads the body, JSON.parses it, stores PutItem's Item in
// a Map by its key and answers GetItem with {Item} from that Map; every response
// carries Content-Type and Content-Length, like a minimal JSON service.
// It prints one ready line with its URL, as `eddy start` does.
//
//   node bench/baseline-server.mjs [--port <p>]     (port 0, the default, picks a free one)
import { createServer } from 'node:http';

const portFlag = process.argv.indexOf('--port');
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 0;

const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** table name -> hash key attribute name (from CreateTable; `pk` if never created). */
const hashKeys = new Map();
/** `${table}\u0000${key}` -> Item */
const items = new Map();

function keyOf(table, attributes) {
  const name = hashKeys.get(table) ?? 'pk';
  const value = attributes?.[name];
  if (!value) return undefined;
  return `${table}\u0000${value.S ?? value.N ?? value.B}`;
}

function answer(res, status, payload) {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': bytes.length });
  res.end(bytes);
}

function handle(target, input, res) {
  const operation = target.slice(target.lastIndexOf('.') + 1);
  switch (operation) {
    case 'PutItem': {
      const key = keyOf(input.TableName, input.Item);
      if (key === undefined) return answer(res, 400, { __type: 'ValidationException', message: 'missing key' });
      items.set(key, input.Item);
      return answer(res, 200, {});
    }
    case 'GetItem': {
      const item = items.get(keyOf(input.TableName, input.Key));
      return answer(res, 200, item ? { Item: item } : {});
    }
    case 'CreateTable': {
      const hash = input.KeySchema?.find((k) => k.KeyType === 'HASH');
      hashKeys.set(input.TableName, hash?.AttributeName ?? 'pk');
      return answer(res, 200, { TableDescription: { TableName: input.TableName, TableStatus: 'ACTIVE' } });
    }
    case 'DescribeTable':
      return answer(res, 200, { Table: { TableName: input.TableName, TableStatus: 'ACTIVE' } });
    default:
      return answer(res, 400, { __type: 'UnknownOperationException' });
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, { __type: 'SerializationException' });
    }
    handle(String(req.headers['x-amz-target'] ?? ''), input, res);
  });
});
server.keepAliveTimeout = 65_000;

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`baseline ready on http://127.0.0.1:${server.address().port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
