resource "aws_db_instance" "db" {
  identifier          = "db"
  storage_encrypted   = true
  publicly_accessible = false
}
