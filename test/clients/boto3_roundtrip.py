"""Drives Eddy with boto3 the way a Python application would.

Usage: python3 boto3_roundtrip.py <endpoint>. Prints one JSON line with what it
observed; the vitest wrapper asserts on it. Any unexpected behaviour raises.
"""
import json
import sys
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="AKIDEDDY", aws_secret_access_key="secret", region_name="us-east-1")
client = session.client("dynamodb", endpoint_url=endpoint)
resource = session.resource("dynamodb", endpoint_url=endpoint)
observed = {}

client.create_table(
    TableName="Boto",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST",
)
client.get_waiter("table_exists").wait(TableName="Boto", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
observed["status"] = client.describe_table(TableName="Boto")["Table"]["TableStatus"]

table = resource.Table("Boto")
table.put_item(Item={"pk": "user#1", "sk": 1, "name": "Ada", "score": Decimal("10.5"), "tags": {"a", "b"}})
item = table.get_item(Key={"pk": "user#1", "sk": 1}, ConsistentRead=True)["Item"]
observed["item"] = {"name": item["name"], "score": str(item["score"]), "tags": sorted(item["tags"])}

updated = table.update_item(
    Key={"pk": "user#1", "sk": 1},
    UpdateExpression="SET score = score + :inc REMOVE tags",
    ConditionExpression="#n = :ada",
    ExpressionAttributeNames={"#n": "name"},
    ExpressionAttributeValues={":inc": Decimal("0.25"), ":ada": "Ada"},
    ReturnValues="ALL_NEW",
)["Attributes"]
observed["updated"] = {"score": str(updated["score"]), "hasTags": "tags" in updated}

try:
    table.put_item(Item={"pk": "user#1", "sk": 1}, ConditionExpression="attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    observed["conditional"] = "no error"
except ClientError as error:
    observed["conditional"] = {
        "code": error.response["Error"]["Code"],
        "message": error.response["Error"]["Message"],
        "itemName": error.response.get("Item", {}).get("name", {}).get("S"),
    }

try:
    client.get_item(TableName="Missing", Key={"pk": {"S": "x"}})
    observed["missing"] = "no error"
except ClientError as error:
    observed["missing"] = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}

try:
    table.update_item(Key={"pk": "user#1", "sk": 1}, UpdateExpression="SET status = :s", ExpressionAttributeValues={":s": "x"})
    observed["reserved"] = "no error"
except ClientError as error:
    observed["reserved"] = {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}

table.delete_item(Key={"pk": "user#1", "sk": 1})
observed["afterDelete"] = "Item" in table.get_item(Key={"pk": "user#1", "sk": 1})

print(json.dumps(observed))
