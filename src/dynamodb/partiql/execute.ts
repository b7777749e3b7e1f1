/**
 * Running plans. Every write goes through `ItemStore.write` inside
 * `ctx.items.transaction`, like PutItem, UpdateItem and DeleteItem, so
 * change capture sees PartiQL writes and a caller's enclosing transaction
 * (ExecuteTransaction) makes several statements all-or-nothing: nested
 * `transaction` calls join the outer one.
 */
import { AwsError, validationError } from '../../edge/errors.js';
import { readUnits, writeUnits } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { applyUpdate, project } from '../expressions/index.js';
import { encodedKey, type ItemRow } from '../item-store.js';
import { checkKey } from '../keys.js';
import { MAX_PAGE_BYTES } from '../read-page.js';
import { conditionFailed } from '../return-values.js';
import { keyOf } from '../table-catalog.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import { itemSize, itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';
import { MAX_NESTING_LEVEL } from '../values/validate.js';
import { holds } from './condition.js';
import { DUPLICATE_ITEM, NESTING_UNDER, NEXT_TOKEN_INVALID } from './errors.js';
import { decodeNextToken, encodeNextToken, type Resume } from './next-token.js';
import type { CheckPlan, GetPlan, SelectPlan, WritePlan } from './prepare.js';
import { projectColumns } from './projection.js';

/** What a write returns: its RETURNING items (none or one) and the write capacity it consumed. */
export interface WriteOutcome {
  readonly items: Item[];
  readonly units: number;
}

function depth(value: AttributeValue): number {
  if (value.M !== undefined) return 1 + Math.max(0, ...Object.values(value.M).map(depth));
  if (value.L !== undefined) return 1 + Math.max(0, ...value.L.map(depth));
  return 1;
}

const nonEmpty = (item: Item | undefined): Item[] => (item && Object.keys(item).length > 0 ? [item] : []);

/**
 * Runs an INSERT, UPDATE or DELETE plan in a transaction (joining the
 * caller's, if any). Throws DuplicateItemException,
 * ConditionalCheckFailedException (with the item for
 * ReturnValuesOnConditionCheckFailure=ALL_OLD) or a ValidationException
 * found while applying the update.
 */
export function executeWrite(ctx: DynamoContext, plan: WritePlan): WriteOutcome {
  return ctx.items.transaction(() => {
    const { table, key } = plan;
    const old = ctx.items.get(table, key);
    const oldSize = old ? itemSize(old) : 0;
    switch (plan.kind) {
      case 'insert': {
        if (old) throw new AwsError('DuplicateItemException', DUPLICATE_ITEM);
        const size = itemSize(plan.item);
        ctx.items.write({ table, key, oldItem: undefined, newItem: plan.item }, size);
        return { items: [], units: writeUnits(0, size) };
      }
      case 'update': {
        // An UPDATE never creates an item: its WHERE holds only for an item that exists.
        if (!old || (plan.condition && !holds(plan.condition, old))) throw conditionFailed(old, plan.returnOnFailure);
        const { item, updatedPaths } = applyUpdate(plan.update, old);
        const size = itemSize(item);
        if (size > MAX_ITEM_SIZE) throw itemTooLargeError(true);
        if (Object.values(item).some((value) => depth(value) > MAX_NESTING_LEVEL)) throw validationError(NESTING_UNDER);
        ctx.items.write({ table, key, oldItem: old, newItem: item }, size);
        let returned: Item | undefined;
        switch (plan.returning) {
          case 'ALL OLD':
            returned = old;
            break;
          case 'ALL NEW':
            returned = item;
            break;
          case 'MODIFIED OLD':
            returned = project(updatedPaths, old);
            break;
          case 'MODIFIED NEW':
            returned = project(updatedPaths, item);
            break;
        }
        return { items: nonEmpty(returned), units: writeUnits(oldSize, size) };
      }
      case 'delete': {
        // A DELETE of an item that is not there succeeds without looking at its condition.
        if (!old) return { items: [], units: writeUnits(0, 0) };
        if (plan.condition && !holds(plan.condition, old)) throw conditionFailed(old, plan.returnOnFailure);
        ctx.items.write({ table, key, oldItem: old, newItem: undefined }, 0);
        return { items: plan.returning ? [old] : [], units: writeUnits(oldSize, 0) };
      }
    }
  });
}

/** A single-item SELECT (BatchExecuteStatement, ExecuteTransaction): the projected item, if any. */
export function executeGet(ctx: DynamoContext, plan: GetPlan): { item?: Item; units: number } {
  const key = checkKey(plan.table, plan.key);
  const item = ctx.items.get(plan.table, key);
  const units = readUnits(item ? itemSize(item) : 0, plan.consistent);
  return item ? { item: projectColumns(plan.columns, item), units } : { units };
}

/** EXISTS(...) in ExecuteTransaction: throws ConditionalCheckFailedException when the condition does not hold. */
export function executeCheck(ctx: DynamoContext, plan: CheckPlan): { units: number } {
  const item = ctx.items.get(plan.table, checkKey(plan.table, plan.key));
  if (!holds(plan.condition, item)) throw conditionFailed(item, plan.returnOnFailure);
  return { units: readUnits(item ? itemSize(item) : 0, true) };
}

export interface SelectPage {
  readonly Items: Item[];
  readonly NextToken?: string;
  readonly LastEvaluatedKey?: Item;
  /** Read capacity consumed. */
  readonly units: number;
}

/** Where a NextToken says to resume, checked against this plan's table and reads. */
function resumeFrom(ctx: DynamoContext, plan: SelectPlan, token: string | undefined): Resume | undefined {
  if (token === undefined) return undefined;
  const resume = decodeNextToken(token, plan.hash, ctx.clock.now());
  const reads = plan.reads === 'scan' ? 1 : plan.reads.length;
  try {
    checkKey(plan.table, resume.key);
  } catch (error) {
    if (error instanceof AwsError) throw validationError(NEXT_TOKEN_INVALID);
    throw error;
  }
  if (resume.read >= reads) throw validationError(NEXT_TOKEN_INVALID);
  return resume;
}

/**
 * One page of a SELECT: its key reads in order (or the table in key order),
 * stopping once Limit items were evaluated or 1 MB was read, as Query and
 * Scan do. Items are filtered by the whole WHERE and projected.
 */
export function executeSelect(ctx: DynamoContext, plan: SelectPlan, options: { limit?: number; nextToken?: string }): SelectPage {
  const resume = resumeFrom(ctx, plan, options.nextToken);
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let stop: Resume | undefined;

  const visit = (rows: Iterable<ItemRow>, read: number): boolean => {
    for (const row of rows) {
      const item = JSON.parse(row.item) as Item;
      scanned++;
      bytes += row.size;
      if (!plan.filter || holds(plan.filter, item)) items.push(projectColumns(plan.columns, item));
      if ((options.limit !== undefined && scanned >= options.limit) || bytes >= MAX_PAGE_BYTES) {
        stop = { read, key: keyOf(plan.table, item) };
        return true;
      }
    }
    return false;
  };

  if (plan.reads === 'scan') {
    const start = resume ? encodedKey(plan.table, resume.key) : undefined;
    visit(ctx.items.tableItemRows(plan.table, start ? { pk: start[0], sk: start[1] } : undefined), 0);
  } else {
    for (let i = resume?.read ?? 0; i < plan.reads.length; i++) {
      const read = plan.reads[i]!;
      if (read.empty) continue;
      let startAfter: Buffer | undefined;
      if (resume && i === resume.read) {
        // Without a sort key a read holds one item: the one the page stopped at.
        if (!plan.table.rangeKey) continue;
        startAfter = encodedKey(plan.table, resume.key)[1];
      }
      if (visit(ctx.items.partitionRows(plan.table, read.partition, read.sort, plan.forward, startAfter), i)) break;
    }
  }

  const next = stop as Resume | undefined;
  return {
    Items: items,
    ...(next ? { NextToken: encodeNextToken(plan.hash, ctx.clock.now(), next), LastEvaluatedKey: next.key } : {}),
    units: readUnits(bytes, plan.consistent),
  };
}
