import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEdge } from '../../src/edge/server.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { startEddy, errorOf } from '../helpers/eddy.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-group-commit-'));
  dirs.push(dir);
  return dir;
}

/** Resolves after the immediates queued so far ran, the group's commit among them. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  let db: Database.Database;
  /** A second connection: it sees only what the first has committed. */
  let reader: Database.Database;
  let failures: unknown[];
  let deferredErrors: unknown[];
  let commits: GroupCommit;

  beforeEach(() => {
    const file = join(tempDir(), 'test.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE rows (id INTEGER PRIMARY KEY, note TEXT);
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
    `);
    reader = new Database(file, { readonly: true });
    failures = [];
    deferredErrors = [];
    commits = new GroupCommit(db, { onCommitFailure: (error) => failures.push(error), onDeferredError: (error) => deferredErrors.push(error) });
  });
  afterEach(() => {
    reader.close();
    db.close();
  });

  const insert = (id: number, note = `row ${id}`): void => void db.prepare('INSERT INTO rows (id, note) VALUES (?, ?)').run(id, note);
  const committedIds = (): number[] => reader.prepare('SELECT id FROM rows ORDER BY id').pluck().all() as number[];

  it('makes the joins of one turn one transaction, committed at the end of the turn', async () => {
    const order: string[] = [];
    commits.join();
    insert(1);
    commits.afterCommit(() => order.push(`after 1: ${committedIds().join(',')}`));
    commits.join();
    insert(2);
    commits.join();
    insert(3);
    commits.afterCommit(() => order.push(`after 3: ${committedIds().join(',')}`));

    expect(db.inTransaction).toBe(true);
    expect(committedIds()).toEqual([]);
    expect(order).toEqual([]);
    await nextTurn();
    expect(db.inTransaction).toBe(false);
    expect(order).toEqual(['after 1: 1,2,3', 'after 3: 1,2,3']);

    // The next turn opens a group of its own.
    commits.join();
    insert(4);
    expect(committedIds()).toEqual([1, 2, 3]);
    await nextTurn();
    expect(committedIds()).toEqual([1, 2, 3, 4]);
  });

  it('runs afterCommit at once and sends answers at once when no group is open', () => {
    const ran: string[] = [];
    commits.afterCommit(() => ran.push('fn'));
    commits.answerAfterCommit({ destroy: () => ran.push('destroyed') }, () => ran.push('sent'));
    expect(ran).toEqual(['fn', 'sent']);
    expect(commits.isOpen).toBe(false);
  });

  it('does not open a group inside a transaction someone else began', () => {
    db.transaction(() => {
      commits.join();
      insert(1);
    })();
    expect(commits.isOpen).toBe(false);
    expect(committedIds()).toEqual([1]);
  });

  it('rolls back only the writes of an operation that fails inside the group', async () => {
    commits.join();
    db.transaction(() => insert(1))();
    expect(() =>
      db.transaction(() => {
        insert(2);
        throw new Error('refused');
      })(),
    ).toThrow('refused');
    // One statement that fails: SQLite undoes that statement alone.
    expect(() => db.prepare("INSERT INTO rows (id, note) VALUES (3, 'kept?'), (1, 'duplicate')").run()).toThrow(/UNIQUE/);
    insert(4);
    expect(db.inTransaction).toBe(true);
    await nextTurn();
    expect(committedIds()).toEqual([1, 4]);
    expect(failures).toEqual([]);
  });

  it('leaves nothing of a group whose COMMIT fails, destroys its held answers and reports the failure', async () => {
    const ran: string[] = [];
    commits.join();
    insert(1);
    commits.answerAfterCommit({ destroy: () => ran.push('answer 1 destroyed') }, () => ran.push('answer 1 sent'));
    // Deferred: the violation is found only by COMMIT.
    db.prepare('INSERT INTO children (id, parent) VALUES (1, 42)').run();
    commits.afterCommit(() => ran.push('after commit'));
    commits.answerAfterCommit({ destroy: () => ran.push('answer 2 destroyed') }, () => ran.push('answer 2 sent'));
    await nextTurn();

    expect(ran).toEqual(['answer 1 destroyed', 'answer 2 destroyed']);
    expect(failures).toHaveLength(1);
    expect((failures[0] as { code?: string }).code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(db.inTransaction).toBe(false);
    expect(committedIds()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM children').pluck().get()).toBe(0);
  });

  it('keeps running the functions after one that throws', async () => {
    const ran: string[] = [];
    commits.join();
    commits.afterCommit(() => {
      throw new Error('listener failed');
    });
    commits.afterCommit(() => ran.push('second'));
    await nextTurn();
    expect(ran).toEqual(['second']);
    expect(deferredErrors).toEqual([new Error('listener failed')]);
  });

  it('commits the open group at once on flush, and only once', async () => {
    const ran: string[] = [];
    commits.join();
    insert(1);
    commits.afterCommit(() => ran.push('after commit'));
    commits.flush();
    expect(committedIds()).toEqual([1]);
    expect(ran).toEqual(['after commit']);
    expect(commits.isOpen).toBe(false);
    await nextTurn();
    expect(ran).toEqual(['after commit']);
    expect(failures).toEqual([]);
  });

  it('holds every HTTP answer of the group and resets the connections when its COMMIT fails', async () => {
    // The edge with only the admin route: /_eddy/child?parent=N inserts a child row and answers 200.
    const server = createEdge({
      jsonServices: [],
      defaultRegion: 'us-east-1',
      accountId: '000000000000',
      onInternalError: (error) => {
        throw error;
      },
      groupCommit: commits,
      admin: (_method, path, req, _body, res) => {
        if (path !== '/_eddy/child') return false;
        const parent = Number(new URL(req.url ?? '/', 'http://eddy').searchParams.get('parent'));
        const { lastInsertRowid } = db.prepare('INSERT INTO children (parent) VALUES (?)').run(parent);
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`child ${lastInsertRowid}\n`);
        return true;
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      db.prepare('INSERT INTO parents (id) VALUES (1)').run();

      const fine = await fetch(`${endpoint}/_eddy/child?parent=1`);
      expect([fine.status, await fine.text()]).toEqual([200, 'child 1\n']);
      expect(reader.prepare('SELECT parent FROM children').pluck().all()).toEqual([1]);

      const orphan = await fetch(`${endpoint}/_eddy/child?parent=7`).then(
        (response) => `answered ${response.status}`,
        (error: Error & { cause?: { code?: string } }) => `failed: ${error.cause?.code ?? error.message}`,
      );
      expect(orphan).toMatch(/^failed: (ECONNRESET|UND_ERR_SOCKET)$/);
      expect(failures).toHaveLength(1);
      expect(reader.prepare('SELECT parent FROM children').pluck().all()).toEqual([1]);

      const notFound = await fetch(`${endpoint}/nowhere`);
      expect(notFound.status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('group commit through the SDK', () => {
  it('answers each of many concurrent writes of mixed outcomes right, and keeps exactly the acknowledged ones', async () => {
    const dataDir = tempDir();
    const first = await startEddy({ inMemory: false, dataDir });
    const { ddb } = first;
    await ddb.send(
      new CreateTableCommand({
        TableName: 'Grouped',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 20; i++) await ddb.send(new PutItemCommand({ TableName: 'Grouped', Item: { pk: { S: `old${i}` }, v: { S: 'original' } } }));

    // Open the client's connections first, so that the writes below leave it
    // together instead of each behind its own connection's handshake.
    await Promise.all(Array.from({ length: 40 }, () => ddb.send(new GetItemCommand({ TableName: 'Grouped', Key: { pk: { S: 'old0' } } }))));
    // Counts the requests that found their turn's group already open.
    const commits = first.eddy.commits;
    const join = commits.join.bind(commits);
    let joinedOpenGroup = 0;
    commits.join = () => {
      if (commits.isOpen) joinedOpenGroup++;
      join();
    };

    const put = (pk: string, v: string, condition?: string) =>
      ddb.send(new PutItemCommand({ TableName: 'Grouped', Item: { pk: { S: pk }, v: { S: v } }, ...(condition ? { ConditionExpression: condition } : {}) }));
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const answer = (() => {
          switch (i % 5) {
            case 0:
              return put(`new${i}`, 'put');
            case 1:
              // old items exist: the condition fails.
              return put(`old${i % 20}`, 'overwritten', 'attribute_not_exists(pk)');
            case 2:
              // Cancelled by a condition before anything is written.
              return ddb.send(
                new TransactWriteItemsCommand({
                  TransactItems: [
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `tx-no${i}` }, v: { S: 'tx' } } } },
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `old${i % 20}` }, v: { S: 'tx' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
                  ],
                }),
              );
            case 3:
              // Cancelled while writing: the second put's index key has the wrong type, after the first put was written.
              return ddb.send(
                new TransactWriteItemsCommand({
                  TransactItems: [
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `tx-undone${i}` }, v: { S: 'tx' } } } },
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `tx-undone${i}b` }, g: { N: '1' } } } },
                  ],
                }),
              );
            default:
              return ddb.send(
                new TransactWriteItemsCommand({
                  TransactItems: [
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `tx-yes${i}` }, v: { S: 'tx' } } } },
                    { Put: { TableName: 'Grouped', Item: { pk: { S: `tx-yes${i}b` }, v: { S: 'tx' }, g: { S: 'ok' } } } },
                  ],
                }),
              );
          }
        })();
        return answer.then(
          () => 'ok',
          (error: Error) => (error instanceof TransactionCanceledException ? `cancelled ${error.CancellationReasons?.map((r) => r.Code).join(',')}` : error.name),
        );
      }),
    );
    expect(joinedOpenGroup).toBeGreaterThan(0);
    outcomes.forEach((outcome, i) => {
      const expected = ['ok', 'ConditionalCheckFailedException', 'cancelled None,ConditionalCheckFailed', 'cancelled None,ValidationError', 'ok'][i % 5];
      expect(outcome, `request ${i}`).toBe(expected);
    });
    expect(await errorOf(() => put('old0', 'again', 'attribute_not_exists(pk)'))).toBeInstanceOf(ConditionalCheckFailedException);

    await first.close();
    const second = await startEddy({ inMemory: false, dataDir });
    try {
      const { Items = [] } = await second.ddb.send(new ScanCommand({ TableName: 'Grouped' }));
      const stored = Object.fromEntries(Items.map((item: Record<string, AttributeValue>) => [item.pk!.S!, item.v?.S]));
      const expected: Record<string, string | undefined> = {};
      for (let i = 0; i < 20; i++) expected[`old${i}`] = 'original';
      for (let i = 0; i < 40; i++) {
        if (i % 5 === 0) expected[`new${i}`] = 'put';
        if (i % 5 === 4) Object.assign(expected, { [`tx-yes${i}`]: 'tx', [`tx-yes${i}b`]: 'tx' });
      }
      expect(stored).toEqual(expected);
    } finally {
      await second.close();
    }
  }, 30_000);
});
