data "aws_iam_policy_document" "deny_outside" {
  statement {
    effect        = "Deny"
    actions       = ["s3:*"]
    not_resources = ["arn:aws:s3:::data/*"]
  }
}
