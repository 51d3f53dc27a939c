resource "aws_s3_bucket_policy" "public" {
  bucket = "site"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["*"] }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::site/*"
    }]
  })
}

resource "aws_iam_role" "anyone" {
  name               = "anyone"
  assume_role_policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"
}

resource "aws_lambda_permission" "open" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = "*"
}
