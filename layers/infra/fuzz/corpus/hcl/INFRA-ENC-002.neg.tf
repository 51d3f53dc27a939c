resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  encrypted         = true
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/abc"
}
