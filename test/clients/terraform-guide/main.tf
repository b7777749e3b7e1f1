# The Terraform of the guide (../shared/seeds/: "Terraform (complete setup)"
# and "SNS -> SQS Fan-Out Terraform"), resource by resource as written there,
# pointed at Eddy. Differences: the provider block (endpoints, test
# credentials), the OpenSearch endpoint a literal (the guide takes a
# variable) and the zip's path a variable.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "endpoint" { type = string }
variable "lambda_zip" { type = string }

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    dynamodb = var.endpoint
    lambda   = var.endpoint
    sqs      = var.endpoint
    sns      = var.endpoint
    iam      = var.endpoint
    sts      = var.endpoint
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = "Orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customerId"
  range_key    = "orderId"
  attribute {
    name = "customerId"
    type = "S"
  }
  attribute {
    name = "orderId"
    type = "S"
  }
  # Enable DynamoDB Streams
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  tags = {
    Environment = "production"
    Team        = "platform"
  }
}

# IAM role for Lambda to consume the stream
resource "aws_iam_role" "stream_processor" {
  name = "dynamodb-stream-processor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "stream_policy" {
  name = "dynamodb-stream-policy"
  role = aws_iam_role.stream_processor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:DescribeStream",
          "dynamodb:ListStreams"
        ]
        Resource = "${aws_dynamodb_table.orders.stream_arn}"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:*:*:*"
      },
      {
        # For DLQ on failure
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = aws_sqs_queue.stream_dlq.arn
      }
    ]
  })
}

# Lambda function
resource "aws_lambda_function" "stream_processor" {
  function_name = "orders-stream-processor"
  runtime       = "python3.12"
  handler       = "handler.lambda_handler"
  role          = aws_iam_role.stream_processor.arn
  filename      = var.lambda_zip
  timeout       = 300
  memory_size   = 256
  environment {
    variables = {
      OPENSEARCH_ENDPOINT = "search.example.internal"
    }
  }
}

# DLQ for failed batches
resource "aws_sqs_queue" "stream_dlq" {
  name                      = "orders-stream-dlq"
  message_retention_seconds = 1209600 # 14 days
}

# Event Source Mapping — the glue between stream and Lambda
resource "aws_lambda_event_source_mapping" "orders_stream" {
  event_source_arn                   = aws_dynamodb_table.orders.stream_arn
  function_name                      = aws_lambda_function.stream_processor.arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 5
  parallelization_factor             = 2
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = 3
  maximum_record_age_in_seconds      = 3600 # drop records older than 1 hour
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_dlq.arn
    }
  }
  # Enable partial batch response (Lambda reports individual item failures)
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_sns_topic" "order_changes" {
  name = "order-change-events"
}

# Consumer 1: OpenSearch sync queue
resource "aws_sqs_queue" "opensearch_sync" {
  name = "order-opensearch-sync"
}

# Consumer 2: Analytics pipeline queue
resource "aws_sqs_queue" "analytics" {
  name = "order-analytics-events"
}

# Consumer 3: Cache invalidation queue (only INSERT + MODIFY)
resource "aws_sqs_queue" "cache_invalidation" {
  name = "order-cache-invalidation"
}

# Subscribe each SQS to SNS with optional filtering
resource "aws_sns_topic_subscription" "opensearch" {
  topic_arn = aws_sns_topic.order_changes.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.opensearch_sync.arn
  # No filter — receive all events
}

resource "aws_sns_topic_subscription" "cache" {
  topic_arn = aws_sns_topic.order_changes.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.cache_invalidation.arn
  filter_policy = jsonencode({
    eventName = ["INSERT", "MODIFY"] # Cache only needs changes, not deletes
  })
}
