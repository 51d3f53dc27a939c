data "aws_iam_policy_document" "all_but_iam" {
  statement {
    effect      = "Allow"
    not_actions = ["iam:*"]
    resources   = ["arn:aws:s3:::data/*"]
  }
}
