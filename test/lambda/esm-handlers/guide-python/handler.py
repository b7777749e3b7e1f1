# The guide's Python handler (partial batch response), unchanged except that
# its "sync to OpenSearch" examples append to the PROCESSED file, and an order
# marked poison cannot be processed. LOG_FILE gets each event.
import json
import logging
import os
from typing import Any
from boto3.dynamodb.types import TypeDeserializer

logger = logging.getLogger()
logger.setLevel(logging.INFO)
deserializer = TypeDeserializer()


def unmarshall(dynamo_item: dict) -> dict:
    """Convert DynamoDB wire format to Python native types."""
    return {k: deserializer.deserialize(v) for k, v in dynamo_item.items()}


def record_processed(kind: str, key: str) -> None:
    with open(os.environ["PROCESSED"], "a") as out:
        out.write(f"{kind} {key}\n")


def process_insert(new_image: dict, sequence_number: str) -> None:
    """Handle a new item being inserted into DynamoDB."""
    logger.info(f"INSERT: seq={sequence_number}, item={new_image}")
    if new_image.get("poison"):
        raise ValueError(f"order {new_image['pk']} cannot be indexed")
    record_processed("INSERT", new_image["pk"])


def process_modify(old_image: dict, new_image: dict, sequence_number: str) -> None:
    """Handle an existing item being modified."""
    changed_fields = {
        k: {"old": old_image.get(k), "new": new_image.get(k)}
        for k in set(old_image) | set(new_image)
        if old_image.get(k) != new_image.get(k)
    }
    logger.info(f"MODIFY: seq={sequence_number}, changes={changed_fields}")
    record_processed("MODIFY", new_image["pk"])


def process_remove(old_image: dict, keys: dict, sequence_number: str) -> None:
    """Handle an item being deleted from DynamoDB."""
    logger.info(f"REMOVE: seq={sequence_number}, keys={keys}")
    record_processed("REMOVE", keys["pk"])


def lambda_handler(event: dict, context: Any) -> dict:
    """
    Main Lambda handler. Returns ReportBatchItemFailures response
    so the ESM only retries failed records, not the entire batch.
    """
    with open(os.environ["LOG_FILE"], "a") as log:
        log.write(json.dumps(event) + "\n")
    batch_item_failures = []
    for record in event["Records"]:
        sequence_number = record["dynamodb"]["SequenceNumber"]
        event_name = record["eventName"]  # INSERT | MODIFY | REMOVE
        try:
            dynamo_record = record["dynamodb"]
            new_image = unmarshall(dynamo_record["NewImage"]) if "NewImage" in dynamo_record else None
            old_image = unmarshall(dynamo_record["OldImage"]) if "OldImage" in dynamo_record else None
            keys = unmarshall(dynamo_record["Keys"])
            if event_name == "INSERT":
                process_insert(new_image, sequence_number)
            elif event_name == "MODIFY":
                process_modify(old_image, new_image, sequence_number)
            elif event_name == "REMOVE":
                process_remove(old_image, keys, sequence_number)
            else:
                logger.warning(f"Unknown eventName: {event_name}")
        except Exception as e:
            logger.error(f"Failed to process record seq={sequence_number}: {e}", exc_info=True)
            # Report this specific record as failed — ESM will retry it
            batch_item_failures.append({"itemIdentifier": sequence_number})
    return {"batchItemFailures": batch_item_failures}
