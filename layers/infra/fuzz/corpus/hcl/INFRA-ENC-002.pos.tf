resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  encrypted         = true
  kms_key_id        = ""
}
