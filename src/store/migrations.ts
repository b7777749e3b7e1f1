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
  `
  -- DynamoDB Streams (src/streams/). A stream belongs to one enabling of a
  -- table's stream; it outlives the table and its disabling until its records
  -- expire. Shards carry their lineage (parent_shard_id); lane is the slice of
  -- the key hash space a shard serves. Records are numbered by one global
  -- sequence, so sequence numbers grow strictly within every shard.
  CREATE TABLE ddb_streams (
    arn TEXT PRIMARY KEY,
    table_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    table_name TEXT NOT NULL,
    label TEXT NOT NULL,
    view_type TEXT NOT NULL,
    key_schema TEXT NOT NULL,
    shard_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  );
  CREATE INDEX ddb_streams_table ON ddb_streams (table_id);
  CREATE TABLE ddb_stream_shards (
    shard_id TEXT PRIMARY KEY,
    stream_arn TEXT NOT NULL,
    lane INTEGER NOT NULL,
    parent_shard_id TEXT,
    created_at INTEGER NOT NULL,
    starting_seq INTEGER NOT NULL,
    ending_seq INTEGER
  );
  CREATE INDEX ddb_stream_shards_stream ON ddb_stream_shards (stream_arn, created_at);
  CREATE TABLE ddb_stream_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    shard_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX ddb_stream_records_shard ON ddb_stream_records (shard_id, seq);
  CREATE INDEX ddb_stream_records_age ON ddb_stream_records (created_at);
  -- Highest sequence number trimmed away per shard (records at or below are gone).
  CREATE TABLE ddb_stream_trim (
    shard_id TEXT PRIMARY KEY,
    trimmed_through INTEGER NOT NULL
  );
  -- Process-independent secrets (the key that signs shard iterators).
  CREATE TABLE eddy_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
  );
  `,
  `
  -- Secondary indexes (src/dynamodb/indexes/). One row per index entry: the
  -- projection of one item, keyed by the order-preserving encodings of the
  -- index key (pk, sk; sk empty without a sort key) and then of the table key,
  -- so a Query on an index is a range scan and entries with equal index keys
  -- come in table-key order. ItemStore.write maintains it in the item's
  -- transaction; items without the index key attributes have no row.
  CREATE TABLE ddb_index_items (
    table_id INTEGER NOT NULL,
    index_name TEXT NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    table_pk BLOB NOT NULL,
    table_sk BLOB NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (table_id, index_name, pk, sk, table_pk, table_sk)
  ) WITHOUT ROWID;

  -- Item collection sizes of tables with local secondary indexes: the bytes
  -- of the items and local index entries sharing a partition key, kept
  -- current by ItemStore.write so the 10 GB limit and ItemCollectionMetrics
  -- cost one row read.
  CREATE TABLE ddb_item_collections (
    table_id INTEGER NOT NULL,
    pk BLOB NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (table_id, pk)
  ) WITHOUT ROWID;
  `,
  `
  -- ClientRequestToken idempotency of TransactWriteItems and ExecuteTransaction
  -- (src/dynamodb/item-writes/tokens.ts). A token is remembered for ten minutes
  -- of Eddy's clock after the transaction that used it committed, with a hash
  -- of that request and the items it wrote (a replay reports reading them).
  -- Rows are written in the transaction's own SQLite transaction.
  CREATE TABLE ddb_client_tokens (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    token TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    targets TEXT NOT NULL,
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, token)
  ) WITHOUT ROWID;
  CREATE INDEX ddb_client_tokens_age ON ddb_client_tokens (completed_at);
  `,
  `
  -- Lambda functions (src/lambda/). configuration is the JSON of the settings
  -- a function was created or updated with (src/lambda/function-store.ts);
  -- FunctionConfiguration is computed from it on read. code_sha256 names the
  -- deployment package in lambda_code (hex). reserved_concurrency is NULL
  -- while none is set.
  CREATE TABLE lambda_functions (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    configuration TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}',
    reserved_concurrency INTEGER,
    PRIMARY KEY (account, region, name)
  ) WITHOUT ROWID;
  CREATE INDEX lambda_functions_code ON lambda_functions (code_sha256);

  -- Deployment packages (zip files) by the hex SHA-256 of their bytes, shared
  -- by the functions that use the same bytes and deleted with the last of them.
  -- They are unpacked on demand into a directory named by the same hash.
  CREATE TABLE lambda_code (
    sha256 TEXT PRIMARY KEY,
    zip BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Lambda event source mappings (src/lambda/esm/mapping-store.ts): mapping is
  -- the JSON of the validated EventSourceMapping; the other columns are what
  -- ListEventSourceMappings and the duplicate check filter on. seq orders
  -- mappings by creation, the order ListEventSourceMappings pages in.
  CREATE TABLE lambda_event_source_mappings (
    seq INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    event_source_arn TEXT NOT NULL,
    function_arn TEXT NOT NULL,
    mapping TEXT NOT NULL
  );
  CREATE INDEX lambda_event_source_mappings_source ON lambda_event_source_mappings (event_source_arn, function_arn);
  CREATE INDEX lambda_event_source_mappings_function ON lambda_event_source_mappings (function_arn);
  `,
  `
  -- Event source mapping checkpoints (src/lambda/esm/checkpoints.ts): per
  -- mapping and shard, the sequence (internal number) through which every
  -- record is processed, filtered or given up on; finished once a closed shard
  -- is read to its end (its children may start). start_after is where a
  -- LATEST mapping begins: the last record committed when it was created.
  CREATE TABLE lambda_esm_checkpoints (
    mapping_uuid TEXT NOT NULL,
    shard_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mapping_uuid, shard_id)
  ) WITHOUT ROWID;
  CREATE TABLE lambda_esm_starts (
    mapping_uuid TEXT PRIMARY KEY,
    start_after INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- Tumbling window state per mapping, shard and key lane: the window open
  -- (epoch ms of its start) and the state the function returned last,
  -- written in the same transaction as the checkpoint.
  CREATE TABLE lambda_esm_windows (
    mapping_uuid TEXT NOT NULL,
    shard_id TEXT NOT NULL,
    lane INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (mapping_uuid, shard_id, lane)
  ) WITHOUT ROWID;
  `,
  `
  -- SNS (src/sns/). Topics with their settable attributes and tags as JSON;
  -- subscriptions with the attributes their subscriber set, pending until an
  -- http/https endpoint confirms with the token it was sent. Row ids give
  -- listing order and NextTokens.
  CREATE TABLE sns_topics (
    id INTEGER PRIMARY KEY,
    arn TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX sns_topics_by_account ON sns_topics (account, region, id);
  CREATE TABLE sns_subscriptions (
    id INTEGER PRIMARY KEY,
    arn TEXT NOT NULL UNIQUE,
    topic_arn TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    owner TEXT NOT NULL,
    attributes TEXT NOT NULL,
    pending INTEGER NOT NULL,
    token TEXT
  );
  CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, id);
  CREATE INDEX sns_subscriptions_by_account ON sns_subscriptions (account, region, id);
  CREATE INDEX sns_subscriptions_by_token ON sns_subscriptions (token) WHERE token IS NOT NULL;
  `,
  `
  -- SQS queues of every account and region. attributes: the JSON of what
  -- GetQueueAttributes shows as set (defaults filled in); tags: JSON map.
  CREATE TABLE sqs_queues (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    UNIQUE (account, region, name)
  );

  -- Messages in arrival order (id). visible_at (Eddy-clock ms) covers both the
  -- delay of a message never received (receive_count 0) and the visibility
  -- timeout of one in flight; receipt is the token of its latest receive.
  CREATE TABLE sqs_messages (
    id INTEGER PRIMARY KEY,
    queue_id INTEGER NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    message_attributes TEXT,
    system_attributes TEXT,
    md5_body TEXT NOT NULL,
    md5_attributes TEXT,
    md5_system_attributes TEXT,
    sender_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_received_at INTEGER,
    receipt TEXT,
    group_id TEXT,
    deduplication_id TEXT,
    sequence_number TEXT,
    dead_letter_source_arn TEXT
  );
  CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at);
  CREATE INDEX sqs_messages_sent ON sqs_messages (queue_id, sent_at);

  -- FIFO deduplication: a key seen in the last 5 minutes (Eddy clock) answers
  -- with the first message's id and sequence number.
  CREATE TABLE sqs_fifo_deduplication (
    queue_id INTEGER NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
    dedup_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sequence_number TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, dedup_key)
  ) WITHOUT ROWID;

  -- StartMessageMoveTask runs: ListMessageMoveTasks reports them.
  CREATE TABLE sqs_move_tasks (
    task_handle TEXT PRIMARY KEY,
    source_arn TEXT NOT NULL,
    destination_arn TEXT,
    max_per_second INTEGER,
    status TEXT NOT NULL,
    moved INTEGER NOT NULL,
    to_move INTEGER,
    failure_reason TEXT,
    started_at INTEGER NOT NULL
  );
  `,
  `
  -- Per key lane progress of a shard under ParallelizationFactor
  -- (src/lambda/esm/checkpoints.ts): JSON {"factor": N, "positions": [...]},
  -- the last sequence each lane finished. The shard checkpoint (seq) stays
  -- before the oldest unfinished record of any lane; on a restart with the same
  -- factor a lane skips what it already finished, so only batches in flight
  -- are delivered again. NULL: no parallelization, or nothing recorded yet.
  ALTER TABLE lambda_esm_checkpoints ADD COLUMN lane_positions TEXT;
  `,
  `
  -- Lambda's asynchronous event queue (src/lambda/runtime/async-events.ts):
  -- one row per accepted Event invocation, written before Invoke answers 202
  -- and deleted once the event is finished (succeeded, failed its last
  -- attempt, too old, or its function deleted). attempts counts the finished
  -- attempts; due_at is when the next may start (Eddy's clock).
  CREATE TABLE lambda_async_events (
    request_id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    function_name TEXT NOT NULL,
    invoked_arn TEXT NOT NULL,
    event TEXT NOT NULL,
    client_context TEXT,
    enqueued_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    due_at INTEGER NOT NULL
  );
  `,
  `
  -- Stream records rebuilt for cheaper appends (every B-tree a record touches
  -- is one more page written to the WAL per commit): no AUTOINCREMENT (its
  -- sqlite_sequence row was a page per write) and no created_at index
  -- (retention walks the oldest records in sequence order instead). StreamStore
  -- assigns seq itself; so that no sequence number is ever reused once its
  -- records are trimmed, the highest one ever issued is kept in
  -- ddb_stream_sequence whenever records or shards are deleted (seeded here
  -- from AUTOINCREMENT's counter). The shard index holds the rowid (seq), so
  -- (shard_id) alone serves "shard_id = ? AND seq > ? ORDER BY seq".
  CREATE TABLE ddb_stream_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    high_water INTEGER NOT NULL
  );
  INSERT INTO ddb_stream_sequence (id, high_water)
    VALUES (1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ddb_stream_records'), 0));
  ALTER TABLE ddb_stream_records RENAME TO ddb_stream_records_autoincrement;
  CREATE TABLE ddb_stream_records (
    seq INTEGER PRIMARY KEY,
    shard_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  INSERT INTO ddb_stream_records (seq, shard_id, created_at, record)
    SELECT seq, shard_id, created_at, record FROM ddb_stream_records_autoincrement ORDER BY seq;
  DROP TABLE ddb_stream_records_autoincrement;
  CREATE INDEX ddb_stream_records_shard ON ddb_stream_records (shard_id);
  `,
  `
  -- A function's asynchronous invocation configuration
  -- (PutFunctionEventInvokeConfig: MaximumRetryAttempts,
  -- MaximumEventAgeInSeconds, DestinationConfig, LastModified) as JSON; NULL
  -- when it has none. On the function's row, so DeleteFunction deletes it.
  ALTER TABLE lambda_functions ADD COLUMN event_invoke_config TEXT;
  `,
  `
  -- SNS http(s) deliveries not yet finished (src/sns/url-deliveries.ts): one
  -- row per notification and http(s) subscription, written in the Publish
  -- transaction and deleted once the notification is delivered, sent to the
  -- dead-letter queue or dropped; retries counts the retries started so far
  -- and due_at is when the next attempt may start (Eddy's clock). A restart
  -- resumes them, so a retry waiting out the delivery policy is not lost.
  CREATE TABLE sns_url_deliveries (
    id TEXT PRIMARY KEY,
    subscription_arn TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    retries INTEGER NOT NULL,
    due_at INTEGER NOT NULL
  );
  `,
  `
  -- The last attempt's response of a queued Lambda Event invocation (JSON
  -- {"payload", "functionError"?}; NULL before the first attempt), so the
  -- invocation record of an event retried across a restart still has its
  -- responseContext and responsePayload.
  ALTER TABLE lambda_async_events ADD COLUMN last_response TEXT;
  `,
  `
  -- Stream records clustered by shard, with no index at all: a record's rowid
  -- (pos) is its shard's number shifted left 40 bits, OR its sequence number
  -- (below 2^40), so a shard's records are one contiguous range of the table in
  -- sequence order and a read is a rowid range scan. An append to the newest
  -- shard touches one B-tree page (plus the item's): the (shard_id) index was
  -- one more WAL page per commit. shard_no numbers shards (unique, assigned
  -- max + 1 by StreamStore).
  ALTER TABLE ddb_stream_shards ADD COLUMN shard_no INTEGER;
  UPDATE ddb_stream_shards SET shard_no = rowid;
  CREATE UNIQUE INDEX ddb_stream_shards_no ON ddb_stream_shards (shard_no);
  UPDATE ddb_stream_sequence SET high_water = max(high_water, coalesce((SELECT max(seq) FROM ddb_stream_records), 0));
  ALTER TABLE ddb_stream_records RENAME TO ddb_stream_records_by_seq;
  CREATE TABLE ddb_stream_records (
    pos INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  INSERT INTO ddb_stream_records (pos, seq, created_at, record)
    SELECT (s.shard_no << 40) | r.seq, r.seq, r.created_at, r.record
    FROM ddb_stream_records_by_seq r JOIN ddb_stream_shards s ON s.shard_id = r.shard_id
    ORDER BY 1;
  DROP TABLE ddb_stream_records_by_seq;
  `,
  `
  -- IAM roles (src/iam/): stored and answered as IAM does, never enforced.
  -- Names are unique regardless of case, as IAM's are. tags is a JSON list of
  -- {Key, Value} in the order set; created_at is Eddy's clock (ms).
  CREATE TABLE iam_roles (
    role_id TEXT PRIMARY KEY,
    role_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    path TEXT NOT NULL,
    arn TEXT NOT NULL,
    assume_role_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration INTEGER NOT NULL,
    permissions_boundary TEXT,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- A role's inline policies (PutRolePolicy), the document as sent.
  CREATE TABLE iam_role_policies (
    role_id TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (role_id, policy_name)
  );
  -- The managed policy ARNs attached to a role (AttachRolePolicy), in attach order (rowid).
  CREATE TABLE iam_role_attached_policies (
    role_id TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    UNIQUE (role_id, policy_arn)
  );
  `,
  `
  -- Tags of event source mappings (TagResource/ListTags on a mapping's ARN,
  -- Tags at CreateEventSourceMapping), apart from the mapping's JSON so that
  -- the engine's own writes of a mapping never touch them.
  ALTER TABLE lambda_event_source_mappings ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
  `,
  `
  -- Stream records are written by SQLite triggers on ddb_items (one set per
  -- table with an active stream, src/streams/capture-triggers.ts) as their
  -- parts: the event (1 INSERT, 2 MODIFY, 3 REMOVE, 4 REMOVE by the service:
  -- a TTL delete), the images' JSON as the items table holds it and their
  -- sizes. GetRecords assembles the record's JSON from them
  -- (src/streams/stream-record.ts). Records written before keep their whole
  -- JSON in record (event NULL).
  ALTER TABLE ddb_stream_records RENAME TO ddb_stream_records_whole;
  -- The sequence number is pos's low 40 bits: no column of its own.
  CREATE TABLE ddb_stream_records (
    pos INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    event INTEGER,
    new_item TEXT,
    old_item TEXT,
    new_size INTEGER,
    old_size INTEGER,
    record TEXT
  );
  INSERT INTO ddb_stream_records (pos, created_at, record)
    SELECT pos, created_at, record FROM ddb_stream_records_whole ORDER BY pos;
  DROP TABLE ddb_stream_records_whole;
  `,
  `
  -- The sum of the character codes of the item's JSON (values/item-text.ts, since removed: see the next migration),
  -- written on tables with a stream: the capture trigger's cheap proof that a
  -- rewrite of the same size changed the item. NULL where not written.
  ALTER TABLE ddb_items ADD COLUMN chars INTEGER;
  `,
  `
  -- Stream capture binds with each put on a table with an active stream the
  -- position and time of the record the capture trigger appends if the put
  -- changes the item (stream_pos, stream_at; src/streams/capture-triggers.ts),
  -- and stores the item's canonical text (src/dynamodb/values/item-json.ts).
  -- A row with stream_pos holds canonical text; rows written before may hold
  -- their attributes in another order, so the checksum beside them (chars)
  -- is cleared, not carried over.
  ALTER TABLE ddb_items RENAME COLUMN chars TO stream_pos;
  UPDATE ddb_items SET stream_pos = NULL WHERE stream_pos IS NOT NULL;
  ALTER TABLE ddb_items ADD COLUMN stream_at INTEGER;
  `,
];
