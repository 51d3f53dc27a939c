resource "aws_db_instance" "db" {
  identifier          = "db"
  storage_encrypted   = true
  skip_final_snapshot = true
}
