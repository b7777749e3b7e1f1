"""Drives Eddy's batches, transactions and Query pagination with boto3.

Usage: python3 boto3_transactions.py <endpoint>. Prints one JSON line with what
it observed; the vitest wrapper asserts on it. Any unexpected behaviour raises.
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="AKIDEDDY", aws_secret_access_key="secret", region_name="us-east-1")
client = session.client("dynamodb", endpoint_url=endpoint)
resource = session.resource("dynamodb", endpoint_url=endpoint)
observed = {}

client.create_table(
    TableName="BotoTx",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST",
)
client.get_waiter("table_exists").wait(TableName="BotoTx", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
table = resource.Table("BotoTx")

# The resource's batch writer sends BatchWriteItem in chunks of 25.
with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={"pk": "page", "sk": i, "v": f"item-{i}"})
    batch.put_item(Item={"pk": "account", "sk": 1, "balance": 100})

# A Query paginator over several pages of 7.
paginator = client.get_paginator("query")
pages = list(
    paginator.paginate(
        TableName="BotoTx",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "page"}},
        PaginationConfig={"PageSize": 7},
    )
)
observed["query"] = {
    "pages": len(pages),
    "counts": [page["Count"] for page in pages],
    "sks": [int(item["sk"]["N"]) for page in pages for item in page["Items"]],
    "lastHasKey": "LastEvaluatedKey" in pages[-1],
}

# A transaction whose ConditionCheck fails: nothing is written, every action has a reason.
try:
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "BotoTx", "Item": {"pk": {"S": "tx"}, "sk": {"N": "1"}}}},
            {
                "ConditionCheck": {
                    "TableName": "BotoTx",
                    "Key": {"pk": {"S": "account"}, "sk": {"N": "1"}},
                    "ConditionExpression": "balance >= :need",
                    "ExpressionAttributeValues": {":need": {"N": "500"}},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {
                "Update": {
                    "TableName": "BotoTx",
                    "Key": {"pk": {"S": "account"}, "sk": {"N": "2"}},
                    "UpdateExpression": "SET balance = :b",
                    "ExpressionAttributeValues": {":b": {"N": "1"}},
                }
            },
        ]
    )
    observed["canceled"] = "no error"
except ClientError as error:
    observed["canceled"] = {
        "code": error.response["Error"]["Code"],
        "message": error.response["Error"]["Message"],
        "reasons": error.response["CancellationReasons"],
    }
observed["txWritten"] = "Item" in table.get_item(Key={"pk": "tx", "sk": 1}, ConsistentRead=True)

# The same transaction, passing, twice with one token: applied once.
for _ in range(2):
    client.transact_write_items(
        ClientRequestToken="boto-token-1",
        TransactItems=[
            {
                "Update": {
                    "TableName": "BotoTx",
                    "Key": {"pk": {"S": "account"}, "sk": {"N": "1"}},
                    "UpdateExpression": "SET balance = balance - :a",
                    "ConditionExpression": "balance >= :a",
                    "ExpressionAttributeValues": {":a": {"N": "30"}},
                }
            },
            {"Put": {"TableName": "BotoTx", "Item": {"pk": {"S": "tx"}, "sk": {"N": "1"}, "amount": {"N": "30"}}}},
        ],
    )
read = client.transact_get_items(
    TransactItems=[
        {"Get": {"TableName": "BotoTx", "Key": {"pk": {"S": "account"}, "sk": {"N": "1"}}, "ProjectionExpression": "balance"}},
        {"Get": {"TableName": "BotoTx", "Key": {"pk": {"S": "tx"}, "sk": {"N": "1"}}}},
    ]
)
observed["afterTransfer"] = {
    "balance": read["Responses"][0]["Item"]["balance"]["N"],
    "amount": read["Responses"][1]["Item"]["amount"]["N"],
}

try:
    client.transact_write_items(
        ClientRequestToken="boto-token-1",
        TransactItems=[{"Delete": {"TableName": "BotoTx", "Key": {"pk": {"S": "tx"}, "sk": {"N": "1"}}}}],
    )
    observed["mismatch"] = "no error"
except ClientError as error:
    observed["mismatch"] = error.response["Error"]["Code"]

got = resource.batch_get_item(
    RequestItems={"BotoTx": {"Keys": [{"pk": "page", "sk": 3}, {"pk": "page", "sk": 99}], "ProjectionExpression": "v"}}
)
observed["batchGet"] = {"items": got["Responses"]["BotoTx"], "unprocessed": got["UnprocessedKeys"]}

print(json.dumps(observed))
