"""Drives Eddy's IAM and STS with boto3 and prints what it read as JSON (test/iam/boto3.test.ts checks it).

botocore decodes IAM's URL-encoded policy documents into dicts (its json_decode_policies
handler), so this shows the encoding Eddy writes is the one botocore expects.
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="AKIDEDDYTEST", aws_secret_access_key="secret", region_name="us-east-1")
iam = session.client("iam", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a b+c/*"}]}
iam.create_role(RoleName="boto-role", AssumeRolePolicyDocument=json.dumps(trust, indent=2), Tags=[{"Key": "Team", "Value": "platform"}])
iam.put_role_policy(RoleName="boto-role", PolicyName="read", PolicyDocument=json.dumps(policy))
role = iam.get_role(RoleName="boto-role")["Role"]
inline = iam.get_role_policy(RoleName="boto-role", PolicyName="read")
try:
    iam.get_role(RoleName="nobody")
    missing = None
except iam.exceptions.NoSuchEntityException as error:
    missing = {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
print(json.dumps({
    "trust": role["AssumeRolePolicyDocument"],
    "tags": role["Tags"],
    "policy": inline["PolicyDocument"],
    "missing": missing,
    "identity": {k: v for k, v in sts.get_caller_identity().items() if k != "ResponseMetadata"},
}))
