/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a migration that has shipped: append a new one.
 */
export const migrations: string[] = [
  `
  -- DynamoDB tables of every account and region. The description is the JSON a
  -- DescribeTable returns, minus the figures computed on read (status, counts).
  CREATE TABLE ddb_tables (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    UNIQUE (account, region, name)
  );

  -- Items keyed by order-preserving encodings of their key values (see
  -- src/dynamodb/values/key-encoding.ts), so a range scan of (table_id, pk, sk)
  -- yields DynamoDB's order. sk is an empty blob for tables without a sort key.
  CREATE TABLE ddb_items (
    table_id INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (table_id, pk, sk)
  ) WITHOUT ROWID;
  `,
  `
  -- Time to Live (src/dynamodb/ttl/). ttl_attribute names the attribute a table
  -- expires items by (NULL while TTL is disabled). expires_at is that attribute's
  -- value in epoch seconds when it makes the item eligible for deletion, NULL
  -- otherwise; ItemStore.write keeps it current, and the partial index lets the
  -- sweeper find due items without reading any other row.
  ALTER TABLE ddb_tables ADD COLUMN ttl_attribute TEXT;
  ALTER TABLE ddb_items ADD COLUMN expires_at REAL;
  CREATE INDEX ddb_items_expiry ON ddb_items (table_id, expires_at) WHERE expires_at IS NOT NULL;
  `,
];
