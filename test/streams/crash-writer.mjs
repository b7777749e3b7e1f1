// Writes to Eddy from its own process, as fast as it can, and prints one JSON
// line per acknowledged write: {"key": "...", "n": 7}. Used by the crash test,
// which SIGKILLs Eddy in the middle of the burst.
// Usage: node crash-writer.mjs <endpoint> <table> <loops> <keysPerLoop>
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const [endpoint, table, loops, keysPerLoop] = process.argv.slice(2);
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });

async function loop(id) {
  // Each loop owns its keys, so per-key write order is this loop's order.
  for (let n = 1; ; n++) {
    const key = `L${id}-K${n % Number(keysPerLoop)}`;
    try {
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: key }, n: { N: String(n) }, pad: { S: 'x'.repeat(64) } } }));
    } catch {
      return; // the server died: stop this loop
    }
    process.stdout.write(`${JSON.stringify({ key, n })}\n`);
  }
}

await Promise.all(Array.from({ length: Number(loops) }, (_, i) => loop(i)));
process.exit(0);
