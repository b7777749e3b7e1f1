# The guide's "Pattern 2: Cross-Region Replication (Custom)", unchanged, inside
# the guide's handler skeleton (unmarshall, then dispatch on eventName). The
# destination client names its own region; Eddy takes the region from the
# request's signature, so the replica lives in DEST_REGION's namespace.
import boto3
import os
from typing import Any
from boto3.dynamodb.types import TypeDeserializer

deserializer = TypeDeserializer()


def unmarshall(dynamo_item: dict) -> dict:
    """Convert DynamoDB wire format to Python native types."""
    return {k: deserializer.deserialize(v) for k, v in dynamo_item.items()}


dest_dynamodb = boto3.resource("dynamodb", region_name=os.environ["DEST_REGION"])
dest_table = dest_dynamodb.Table(os.environ["DEST_TABLE"])


def replicate_item(event_name: str, new_image: dict, keys: dict) -> None:
    if event_name == "REMOVE":
        dest_table.delete_item(Key=keys)
    elif event_name in ("INSERT", "MODIFY"):
        # Optional: transform or filter before replicating
        if new_image.get("replicateToRegion") == os.environ["DEST_REGION"]:
            dest_table.put_item(Item=new_image)


def lambda_handler(event: dict, context: Any) -> dict:
    batch_item_failures = []
    for record in event["Records"]:
        try:
            dynamo_record = record["dynamodb"]
            new_image = unmarshall(dynamo_record["NewImage"]) if "NewImage" in dynamo_record else None
            keys = unmarshall(dynamo_record["Keys"])
            replicate_item(record["eventName"], new_image, keys)
        except Exception:
            batch_item_failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
    return {"batchItemFailures": batch_item_failures}
