resource "aws_iam_role_policy" "s3" {
  role   = "app"
  policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::app/*\"}]}"
}
