"""boto3 against Eddy's SQS: the guide's send_to_dlq and DLQ replay script, unchanged.

Usage: python3 boto3_sqs.py <endpoint>. The endpoint reaches the guide's
`boto3.client("sqs")` through AWS_ENDPOINT_URL, as a user would set it.
Prints one JSON line of what it observed.
"""
import json
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
os.environ["AWS_ENDPOINT_URL"] = endpoint
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIDEDDY")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "secret")

admin = boto3.client("sqs")
dlq_url = admin.create_queue(QueueName="orders-stream-dlq")["QueueUrl"]
os.environ["DLQ_URL"] = dlq_url
observed = {"dlqUrl": dlq_url}

try:
    admin.get_queue_url(QueueName="missing")
except admin.exceptions.QueueDoesNotExist as e:
    observed["missing"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

try:
    admin.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=11)
except ClientError as e:
    observed["tooMany"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

# ---- the guide: send_to_dlq (verbatim but for the record it is given)
sqs = boto3.client("sqs")
DLQ_URL = os.environ["DLQ_URL"]
def send_to_dlq(record: dict, error: str) -> None:
    """Manually send a specific record to DLQ with error context."""
    sqs.send_message(
        QueueUrl=DLQ_URL,
        MessageBody=json.dumps({
            "sequenceNumber": record["dynamodb"]["SequenceNumber"],
            "eventName": record["eventName"],
            "error": error,
            "record": record,
        }),
        MessageAttributes={
            "ErrorType": {
                "DataType": "String",
                "StringValue": type(error).__name__
            }
        }
    )

for n in range(1, 13):
    send_to_dlq({"eventName": "INSERT", "dynamodb": {"SequenceNumber": str(100 + n), "Keys": {"pk": {"S": f"order#{n}"}}}}, "KeyError: boom")

attributes = admin.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
observed["queued"] = attributes["ApproximateNumberOfMessages"]
peek = admin.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"], VisibilityTimeout=0)["Messages"][0]
observed["attribute"] = peek["MessageAttributes"]["ErrorType"]

# ---- the guide: DLQ replay script (verbatim)
def replay_from_dlq(dlq_url: str, processor_fn) -> None:
    """
    Pull messages from DLQ and replay them through the processor.
    Run this as a one-off script during incident recovery.
    """
    sqs = boto3.client("sqs")
    while True:
        response = sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=20
        )
        messages = response.get("Messages", [])
        if not messages:
            break
        for msg in messages:
            body = json.loads(msg["Body"])
            original_record = body["record"]
            try:
                processor_fn(original_record)
                sqs.delete_message(
                    QueueUrl=dlq_url,
                    ReceiptHandle=msg["ReceiptHandle"]
                )
                print(f"Replayed and deleted: {body['sequenceNumber']}")
            except Exception as e:
                print(f"Failed replay: {body['sequenceNumber']}: {e}")
                # Leave in DLQ for next attempt

replayed = []
def processor(record):
    if record["dynamodb"]["SequenceNumber"] == "107":
        raise ValueError("still broken")
    replayed.append(record["dynamodb"]["SequenceNumber"])

started = time.monotonic()
replay_from_dlq(dlq_url, processor)
observed["replaySeconds"] = time.monotonic() - started
observed["replayed"] = sorted(replayed)
left = admin.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]
observed["left"] = {"visible": left["ApproximateNumberOfMessages"], "inFlight": left["ApproximateNumberOfMessagesNotVisible"]}
print(json.dumps(observed))
