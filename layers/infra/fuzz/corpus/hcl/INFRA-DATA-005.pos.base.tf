resource "aws_dynamodb_table" "orders" {
  name = "orders"
  server_side_encryption {
    enabled = true
  }
  lifecycle {
    prevent_destroy = true
  }
}
