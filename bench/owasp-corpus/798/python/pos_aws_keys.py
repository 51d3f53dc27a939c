import boto3

session = boto3.Session(
    aws_access_key_id="AKIA2E4TQZ7WJ5NRVH3K",
    aws_secret_access_key="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",
    region_name="eu-west-1",
)
s3 = session.client("s3")
