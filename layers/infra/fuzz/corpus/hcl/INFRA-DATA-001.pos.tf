resource "aws_s3_bucket" "logs" {
  bucket        = "logs"
  force_destroy = true
}
