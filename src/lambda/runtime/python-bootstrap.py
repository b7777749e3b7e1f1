"""Eddy's Python runtime: speaks the Lambda Runtime API ($AWS_LAMBDA_RUNTIME_API)
the way Lambda's Python runtime interface client does, for one function.

Imports `module.function` (_HANDLER) from LAMBDA_TASK_ROOT, then loops:
GET /invocation/next, call the handler with the event and a context object,
POST the JSON result to /response or the error to /error as
{errorMessage, errorType, requestId, stackTrace}. Module scope survives
between invocations. Output goes to stdout (stderr is joined to it); after each
invocation a mark tells Eddy the invocation's output is complete.
"""
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
OUTPUT_MARK = b"\x1e\x1fEDDY-INVOCATION-DONE\x1f\x1e"

# One pipe for both streams keeps their lines in order in the log.
sys.stdout.flush()
sys.stderr.flush()
os.dup2(1, 2)


def call(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(API, timeout=None)
    try:
        conn.request(method, "/2018-06-01/runtime" + path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def error_document(error, error_type=None, request_id=""):
    frames = traceback.extract_tb(error.__traceback__)
    # Drop the bootstrap's own frames: the trace starts in the function's code.
    here = os.path.abspath(__file__)
    frames = [f for f in frames if os.path.abspath(f.filename) != here]
    return {
        "errorMessage": str(error),
        "errorType": error_type or type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(frames),
    }


def post_error(path, document):
    body = json.dumps(document).encode("utf-8")
    call("POST", path, body, {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": document["errorType"]})


def init_error(message, error_type, error=None):
    document = error_document(error, error_type) if error is not None else {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
    document["errorMessage"] = message
    print("[ERROR] %s: %s" % (error_type, message), flush=True)
    post_error("/init/error", document)
    sys.exit(1)


def load_handler():
    handler = os.environ.get("_HANDLER", "")
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    try:
        module_path, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        init_error("Bad handler '%s': %s" % (handler, error), "Runtime.MalformedHandlerName", error)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        init_error("Syntax error in module '%s': %s" % (module_name, error), "Runtime.UserCodeSyntaxError", error)
    except ImportError as error:
        init_error("Unable to import module '%s': %s" % (module_name, error), "Runtime.ImportModuleError", error)
    except Exception as error:  # noqa: BLE001 - any exception at import time fails INIT
        init_error(str(error), type(error).__name__, error)
    function = getattr(module, function_name, None)
    if function is None:
        init_error("Handler '%s' missing on module '%s'" % (function_name, module_name), "Runtime.HandlerNotFound")
    return function


class Client:
    def __init__(self, client):
        self.installation_id = client.get("installation_id")
        self.app_title = client.get("app_title")
        self.app_version_name = client.get("app_version_name")
        self.app_version_code = client.get("app_version_code")
        self.app_package_name = client.get("app_package_name")


class ClientContext:
    """context.client_context as Lambda's Python runtime gives it: client, custom, env."""

    def __init__(self, document):
        self.client = Client(document["client"]) if document.get("client") else None
        self.custom = document.get("custom")
        self.env = document.get("env")


class CognitoIdentity:
    def __init__(self, document):
        self.cognito_identity_id = document.get("cognitoIdentityId")
        self.cognito_identity_pool_id = document.get("cognitoIdentityPoolId")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = ClientContext(client_context) if client_context else None
        self.identity = CognitoIdentity(identity) if identity else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def end_of_output():
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, OUTPUT_MARK)


def main():
    handler = load_handler()
    while True:
        response, body = call("GET", "/invocation/next")
        request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
        deadline = int(response.getheader("Lambda-Runtime-Deadline-Ms") or "0")
        arn = response.getheader("Lambda-Runtime-Invoked-Function-Arn")
        client_context = response.getheader("Lambda-Runtime-Client-Context")
        identity = response.getheader("Lambda-Runtime-Cognito-Identity")
        os.environ["_X_AMZN_TRACE_ID"] = response.getheader("Lambda-Runtime-Trace-Id") or ""
        context = LambdaContext(request_id, deadline, arn, json.loads(client_context) if client_context else None, json.loads(identity) if identity else None)
        try:
            event = json.loads(body)
            result = handler(event, context)
            try:
                payload = json.dumps(result).encode("utf-8")
            except (TypeError, ValueError) as error:
                end_of_output()
                post_error("/invocation/%s/error" % request_id, {"errorMessage": "Unable to marshal response: %s" % error, "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []})
                continue
            end_of_output()
            call("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})
        except Exception as error:  # noqa: BLE001 - every handler exception is a function error
            document = error_document(error, request_id=request_id)
            print("[ERROR] %s: %s" % (document["errorType"], document["errorMessage"]))
            end_of_output()
            post_error("/invocation/%s/error" % request_id, document)


if __name__ == "__main__":
    main()
