"""Reads a table's DynamoDB stream with boto3's dynamodbstreams client.

Usage: python3 boto3_streams.py <endpoint> <table>. Finds the table's latest
stream, reads every shard (parents before children) from TRIM_HORIZON,
following NextShardIterator until a page comes back empty or the shard ends,
and prints one JSON line: the records as boto3 returned them, with datetimes
as epoch seconds and binaries in base64. The vitest wrapper compares them
with what the SDK v3 read. Any unexpected behaviour raises.
"""
import base64
import datetime
import json
import sys

import boto3

endpoint, table_name = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="AKIDEDDY", aws_secret_access_key="secret", region_name="us-east-1")
dynamodb = session.client("dynamodb", endpoint_url=endpoint)
streams = session.client("dynamodbstreams", endpoint_url=endpoint)

arn = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]

shards = []
start = None
while True:
    description = streams.describe_stream(StreamArn=arn, **({"ExclusiveStartShardId": start} if start else {}))["StreamDescription"]
    shards.extend(description["Shards"])
    start = description.get("LastEvaluatedShardId")
    if not start:
        break

# Parents before children; a shard whose parent is gone (trimmed) starts a lineage.
known = {shard["ShardId"] for shard in shards}
ordered, done = [], set()
while len(ordered) < len(shards):
    ready = [s for s in shards if s["ShardId"] not in done and (s.get("ParentShardId") not in known or s.get("ParentShardId") in done)]
    if not ready:
        raise RuntimeError("shard lineage has a cycle")
    for shard in ready:
        ordered.append(shard)
        done.add(shard["ShardId"])

records = []
for shard in ordered:
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    while iterator:
        page = streams.get_records(ShardIterator=iterator)
        records.extend(page["Records"])
        if not page["Records"]:
            break
        iterator = page.get("NextShardIterator")


def plain(value):
    """What JSON can carry: datetimes as epoch seconds, bytes as base64."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


print(json.dumps(plain(records)))
