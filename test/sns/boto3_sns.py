"""Every SNS operation through boto3 against Eddy; prints what it observed as one JSON line."""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="AKIDEDDY", aws_secret_access_key="secret", region_name="us-east-1")
sns = session.client("sns", endpoint_url=endpoint)
sqs = session.client("sqs", endpoint_url=endpoint)


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None


observed = {}
topic = sns.create_topic(Name="py-topic", Attributes={"DisplayName": "Py"}, Tags=[{"Key": "lang", "Value": "python"}])["TopicArn"]
observed["topic"] = topic
observed["listed"] = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Python")
attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
observed["displayName"] = attributes["DisplayName"]
sns.tag_resource(ResourceArn=topic, Tags=[{"Key": "team", "Value": "eddy"}])
sns.untag_resource(ResourceArn=topic, TagKeys=["lang"])
observed["tags"] = sns.list_tags_for_resource(ResourceArn=topic)["Tags"]

queue_url = sqs.create_queue(QueueName="py-queue")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"FilterPolicy": json.dumps({"kind": ["keep"]})}, ReturnSubscriptionArn=True)["SubscriptionArn"]
sns.set_subscription_attributes(SubscriptionArn=subscription, AttributeName="RawMessageDelivery", AttributeValue="true")
sub_attributes = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
observed["subscription"] = {k: sub_attributes[k] for k in ("Protocol", "Endpoint", "RawMessageDelivery", "FilterPolicy", "FilterPolicyScope", "PendingConfirmation")}
observed["byTopic"] = [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
observed["all"] = [s["SubscriptionArn"] == subscription for s in sns.list_subscriptions()["Subscriptions"]]

sns.publish(TopicArn=topic, Message="dropped", MessageAttributes={"kind": {"DataType": "String", "StringValue": "drop"}})
published = sns.publish(TopicArn=topic, Message="kept", MessageAttributes={"kind": {"DataType": "String", "StringValue": "keep"}, "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
batch = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "one", "Message": "b1", "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "keep"}}}])
observed["messageIdLength"] = len(published["MessageId"])
observed["batch"] = [e["Id"] for e in batch["Successful"]]
received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", [])
observed["received"] = sorted(m["Body"] for m in received)
observed["binary"] = [list(m["MessageAttributes"]["bin"]["BinaryValue"]) for m in received if "bin" in m.get("MessageAttributes", {})]

observed["errors"] = {
    "missingTopic": error_of(sns.get_topic_attributes, TopicArn=topic + "-missing"),
    "badName": error_of(sns.create_topic, Name="bad name"),
    "emptyMessage": error_of(sns.publish, TopicArn=topic, Message=""),
    "badAttribute": error_of(sns.publish, TopicArn=topic, Message="x", MessageAttributes={"n": {"DataType": "Number", "StringValue": "NaN-ish"}}),
    "badProtocol": error_of(sns.subscribe, TopicArn=topic, Protocol="fax", Endpoint="x"),
    "badPolicy": error_of(sns.set_subscription_attributes, SubscriptionArn=subscription, AttributeName="FilterPolicy", AttributeValue="{"),
}
sns.unsubscribe(SubscriptionArn=subscription)
observed["afterUnsubscribe"] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
sns.delete_topic(TopicArn=topic)
observed["afterDelete"] = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
print(json.dumps(observed))
