resource "aws_db_instance" "db" {
  identifier                = "db"
  storage_encrypted         = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "db-final"
}
